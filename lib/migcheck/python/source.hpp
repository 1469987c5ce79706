#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace migcheck::python {

// A syntax or encoding problem in Python source, 1-based line and column.
struct SyntaxError {
    int line = 1;
    int column = 1;
    std::string message;
};

// Source text decoded to UTF-8 as CPython decodes it: an optional UTF-8 BOM, a
// PEP 263 coding declaration on line 1 or 2 (utf-8 and latin-1 spellings), and
// otherwise strict UTF-8. NUL bytes are rejected as CPython rejects them.
struct DecodedSource {
    std::string text;
    std::optional<SyntaxError> error;
};

DecodedSource decode_source(std::string_view bytes);

}  // namespace migcheck::python
