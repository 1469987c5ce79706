#include "migcheck/python/source.hpp"

#include "migcheck/util/text.hpp"

#include <cstdio>

namespace migcheck::python {
namespace {

// The encoding named by a PEP 263 comment on this line, or "".
std::string coding_of(std::string_view line) {
    std::string_view t = text::trim(line);
    if (t.empty() || t[0] != '#') {
        return {};
    }
    std::size_t pos = t.find("coding");
    if (pos == std::string_view::npos || pos + 6 >= t.size()) {
        return {};
    }
    char sep = t[pos + 6];
    if (sep != ':' && sep != '=') {
        return {};
    }
    std::size_t i = pos + 7;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) {
        ++i;
    }
    std::size_t start = i;
    while (i < t.size() && (std::isalnum(static_cast<unsigned char>(t[i])) || t[i] == '-' ||
                            t[i] == '_' || t[i] == '.')) {
        ++i;
    }
    return text::to_lower(t.substr(start, i - start));
}

std::pair<int, int> position_of(std::string_view bytes, std::size_t offset) {
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (bytes[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return {line, static_cast<int>(offset - line_start) + 1};
}

bool is_utf8(const std::string& c) {
    return c.empty() || c == "utf-8" || c == "utf8" || c == "utf_8" ||
           text::starts_with(c, "utf-8-") || text::starts_with(c, "utf_8_");
}

bool is_latin1(const std::string& c) {
    return c == "latin-1" || c == "latin1" || c == "latin_1" || c == "iso-8859-1" ||
           c == "iso8859-1" || c == "iso_8859_1" || c == "l1" || text::starts_with(c, "latin-1-") ||
           text::starts_with(c, "iso-8859-1-");
}

DecodedSource decode_bytes(std::string_view bytes, const std::string& coding, bool bom);
std::string universal_newlines(std::string text);

}  // namespace

DecodedSource decode_source(std::string_view bytes) {
    DecodedSource out;
    bool bom = bytes.substr(0, 3) == "\xEF\xBB\xBF";
    if (bom) {
        bytes.remove_prefix(3);
    }
    if (std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
        auto [line, col] = position_of(bytes, nul);
        out.error = SyntaxError{line, col, "source code cannot contain null bytes"};
        return out;
    }
    std::string coding;
    std::size_t first_end = bytes.find('\n');
    std::string_view first = bytes.substr(0, first_end);
    coding = coding_of(first);
    if (coding.empty() && first_end != std::string_view::npos &&
        (text::trim(first).empty() || text::trim(first)[0] == '#')) {
        std::string_view rest = bytes.substr(first_end + 1);
        coding = coding_of(rest.substr(0, rest.find('\n')));
    }
    out = decode_bytes(bytes, coding, bom);
    if (!out.error) {
        out.text = universal_newlines(std::move(out.text));
    }
    return out;
}

namespace {

// CPython reads source with universal newlines: "\r\n" and a lone "\r" both
// become "\n" before tokenizing, so docstrings and line numbers agree with it.
std::string universal_newlines(std::string text) {
    if (text.find('\r') == std::string::npos) {
        return text;
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
        } else {
            out += text[i];
        }
    }
    return out;
}

// Windows-1252's 0x80-0x9F; 0 marks the five bytes it leaves undefined.
constexpr char32_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

DecodedSource decode_bytes(std::string_view bytes, const std::string& coding, bool bom) {
    DecodedSource out;
    if (is_utf8(coding)) {
        std::size_t bad = 0;
        if (!text::valid_utf8(bytes, &bad)) {
            auto [line, col] = position_of(bytes, bad);
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(bytes[bad]));
            out.error = SyntaxError{line, col,
                                    std::string("invalid UTF-8 byte ") + hex +
                                        "; Python source must be UTF-8 unless it declares "
                                        "another encoding (# -*- coding: ... -*-)"};
            return out;
        }
        out.text.assign(bytes);
        return out;
    }
    if (bom) {
        out.error = SyntaxError{1, 1, "encoding problem: " + coding + " with BOM"};
        return out;
    }
    bool ascii = coding == "ascii" || coding == "us-ascii" || coding == "646";
    bool cp1252 = coding == "cp1252" || coding == "windows-1252" || coding == "windows_1252";
    bool latin9 = coding == "iso-8859-15" || coding == "iso8859-15" || coding == "latin-9" ||
                  coding == "latin9";
    if (is_latin1(coding) || ascii || cp1252 || latin9) {
        out.text.reserve(bytes.size());
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            auto b = static_cast<unsigned char>(bytes[i]);
            char32_t cp = b;
            if (b >= 0x80 && ascii) {
                cp = 0;
            } else if (b >= 0x80 && b < 0xA0 && cp1252) {
                cp = cp1252_high[b - 0x80];
            } else if (latin9) {
                // The eight places where ISO 8859-15 differs from Latin-1.
                switch (b) {
                case 0xA4: cp = 0x20AC; break;
                case 0xA6: cp = 0x0160; break;
                case 0xA8: cp = 0x0161; break;
                case 0xB4: cp = 0x017D; break;
                case 0xB8: cp = 0x017E; break;
                case 0xBC: cp = 0x0152; break;
                case 0xBD: cp = 0x0153; break;
                case 0xBE: cp = 0x0178; break;
                default: break;
                }
            }
            if (cp == 0 && b != 0) {
                auto [line, col] = position_of(bytes, i);
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", b);
                out.error = SyntaxError{line, col,
                                        std::string("byte ") + hex + " is not valid " + coding};
                return out;
            }
            text::append_utf8(out.text, cp);
        }
        return out;
    }
    out.error = SyntaxError{1, 1, "unsupported source encoding '" + coding +
                                      "'; migcheck reads utf-8, latin-1, iso-8859-15, cp1252 "
                                      "and ascii"};
    return out;
}

}  // namespace

}  // namespace migcheck::python
