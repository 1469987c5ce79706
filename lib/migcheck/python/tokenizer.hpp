#pragma once

#include "migcheck/python/source.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace migcheck::python {

enum class TokenKind { name, number, string, op, newline, indent, dedent, end };

// One token of Python's lexical grammar. `text` points into the tokenized
// source, which must outlive the tokens. Comments and blank lines produce no
// tokens; bracketed and backslash-continued lines are joined into one logical
// line, as CPython's tokenizer does.
struct Token {
    TokenKind kind;
    std::string_view text;
    int line;    // 1-based
    int column;  // 1-based, in bytes
};

struct TokenStream {
    std::vector<Token> tokens;  // always ends with `end` when there is no error
    std::optional<SyntaxError> error;
};

// Nesting deeper than this is rejected, as CPython rejects it.
inline constexpr int max_bracket_depth = 200;

// Tokenizes UTF-8 source (see decode_source). Stops at the first lexical error,
// with CPython's message for it.
TokenStream tokenize(std::string_view source);

// True for the string prefixes Python accepts (r, b, u, f, and rb/br/fr/rf in
// any case).
bool is_string_prefix(std::string_view name);

}  // namespace migcheck::python
