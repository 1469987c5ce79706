#include "migcheck/schema/normalise.hpp"

#include "migcheck/util/text.hpp"

#include <array>
#include <cctype>

namespace migcheck::schema {
namespace {

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_word(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
bool is_word_or_quote(char c) {
    return is_word(c) || c == '\'' || c == '"';
}

// The index just past the quoted run that starts at `i` (a quote doubled
// inside is an escaped quote), or s.size() when it never closes.
std::size_t skip_quoted(std::string_view s, std::size_t i) {
    char quote = s[i];
    std::size_t j = i + 1;
    while (j < s.size()) {
        if (s[j] == quote) {
            if (j + 1 < s.size() && s[j + 1] == quote) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        ++j;
    }
    return s.size();
}

// Whether the '(' at the front closes at the very end, so that the pair wraps
// the whole expression rather than, say, "(a) + (b)".
bool wrapped_in_parentheses(std::string_view s) {
    if (s.size() < 2 || s.front() != '(' || s.back() != ')') {
        return false;
    }
    int depth = 0;
    for (std::size_t i = 0; i < s.size();) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            i = skip_quoted(s, i);
            continue;
        }
        if (c == '(') {
            ++depth;
        } else if (c == ')') {
            --depth;
            if (depth == 0) {
                return i + 1 == s.size();
            }
        }
        ++i;
    }
    return false;
}

std::string_view strip_parentheses(std::string_view s) {
    s = text::trim(s);
    while (wrapped_in_parentheses(s)) {
        s = text::trim(s.substr(1, s.size() - 2));
    }
    return s;
}

std::string unquote(std::string_view literal) {
    std::string out;
    for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
        out += literal[i];
        if (literal[i] == '\'') {
            ++i;  // the second quote of an escaped pair
        }
    }
    return out;
}

bool is_decimal(std::string_view s) {
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        ++i;
    }
    bool digits = false;
    bool dot = false;
    for (; i < s.size(); ++i) {
        if (is_digit(s[i])) {
            digits = true;
        } else if (s[i] == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    return digits;
}

bool is_whole_number(std::string_view s) {
    std::size_t i = !s.empty() && s[0] == '-' ? 1 : 0;
    if (i == s.size()) {
        return false;
    }
    for (; i < s.size(); ++i) {
        if (!is_digit(s[i])) {
            return false;
        }
    }
    return true;
}

std::string canonical_number(std::string_view s) {
    bool negative = false;
    if (s[0] == '+' || s[0] == '-') {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    std::size_t dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
    while (!whole.empty() && whole.front() == '0') {
        whole.remove_prefix(1);
    }
    while (!fraction.empty() && fraction.back() == '0') {
        fraction.remove_suffix(1);
    }
    std::string out = whole.empty() ? "0" : std::string(whole);
    if (!fraction.empty()) {
        out += "." + std::string(fraction);
    }
    if (negative && out != "0") {
        out = "-" + out;
    }
    return out;
}

// PostgreSQL's spellings of boolean input, which SQLAlchemy's Boolean also
// produces in one form or another.
std::optional<bool> boolean_word(std::string_view s) {
    static const std::array<const char*, 6> truthy = {"true", "t", "yes", "y", "on", "1"};
    static const std::array<const char*, 6> falsy = {"false", "f", "no", "n", "off", "0"};
    std::string lower = text::to_lower(text::trim(s));
    for (const char* w : truthy) {
        if (lower == w) {
            return true;
        }
    }
    for (const char* w : falsy) {
        if (lower == w) {
            return false;
        }
    }
    return std::nullopt;
}

std::string canonical_sql(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            std::size_t end = skip_quoted(s, i);
            out += s.substr(i, end - i);
            i = end;
        } else if (is_space(c)) {
            while (i < s.size() && is_space(s[i])) {
                ++i;
            }
            // A space between two words, or a word and a quote, can matter:
            // E'x' is not E 'x'.
            if (!out.empty() && is_word_or_quote(out.back()) && i < s.size() &&
                is_word_or_quote(s[i])) {
                out += ' ';
            }
        } else {
            out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            ++i;
        }
    }
    return out;
}

bool is_numeric_kind(TypeKind kind) {
    return is_integer_kind(kind) || kind == TypeKind::float_ || kind == TypeKind::numeric;
}

bool is_string_kind(TypeKind kind) {
    return kind == TypeKind::string || kind == TypeKind::text || kind == TypeKind::enum_;
}

}  // namespace

bool is_string_literal(std::string_view sql) {
    sql = text::trim(sql);
    return sql.size() >= 2 && sql.front() == '\'' && skip_quoted(sql, 0) == sql.size() &&
           sql.back() == '\'';
}

std::optional<std::string> normalise_server_default(const std::optional<std::string>& sql,
                                                    TypeKind kind) {
    if (!sql) {
        return std::nullopt;
    }
    std::string_view s = strip_parentheses(*sql);
    if (s.empty() || text::to_lower(s) == "null") {
        return std::nullopt;
    }
    // A quoted literal is looked into only where a number or a boolean word
    // inside means the same as without the quotes.
    std::string inner = is_string_literal(s) ? std::string(text::trim(unquote(s))) : std::string(s);
    if (kind == TypeKind::boolean) {
        if (auto b = boolean_word(inner)) {
            return *b ? "TRUE" : "FALSE";
        }
    } else if (is_numeric_kind(kind)) {
        if (is_decimal(inner)) {
            return canonical_number(inner);
        }
    } else if (is_string_kind(kind)) {
        if (is_whole_number(s)) {
            return "'" + std::string(s) + "'";
        }
    }
    return canonical_sql(s);
}

std::string normalise_action(std::string_view action) {
    std::string out = canonical_sql(action);
    return out == "NO ACTION" ? "" : out;
}

}  // namespace migcheck::schema
