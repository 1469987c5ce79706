#include "migcheck/schema/identifier.hpp"

namespace migcheck::schema {
namespace {

constexpr const char* spelling =
    "use letters, digits and underscores, starting with a letter or underscore";

bool is_ascii_letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The whole UTF-8 sequence that starts at `i`, so that the message shows the
// character the user typed rather than one byte of it.
std::string character_at(std::string_view s, std::size_t i) {
    std::size_t end = i + 1;
    if ((static_cast<unsigned char>(s[i]) & 0x80) != 0) {
        while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) {
            ++end;
        }
    }
    return std::string(s.substr(i, end - i));
}

}  // namespace

std::string identifier_problem(std::string_view name) {
    if (name.empty()) {
        return std::string("is empty: ") + spelling;
    }
    if (is_digit(name[0])) {
        return std::string("starts with a digit: ") + spelling;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (!is_ascii_letter(c) && !is_digit(c) && c != '_') {
            std::string shown = c == ' ' ? "a space" : "'" + character_at(name, i) + "'";
            return "contains " + shown + ": " + spelling;
        }
    }
    if (name.size() > max_identifier_length) {
        return "is " + std::to_string(name.size()) + " characters long, more than the " +
               std::to_string(max_identifier_length) + " PostgreSQL keeps: shorten it";
    }
    return "";
}

}  // namespace migcheck::schema
