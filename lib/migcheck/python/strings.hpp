#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace migcheck::python {

// One string token taken apart: its prefix flags and its decoded value.
struct StringPiece {
    bool raw = false;
    bool bytes = false;
    bool formatted = false;
    bool inexact = false;  // holds a \N{...} escape, kept as written
    std::string value;     // decoded (UTF-8 for str, raw bytes for bytes)
};

// Decodes the escapes of one string token (prefix and quotes included). On a
// malformed escape returns nullopt and sets `error` to CPython's wording.
std::optional<StringPiece> decode_string_token(std::string_view token, std::string& error);

}  // namespace migcheck::python
