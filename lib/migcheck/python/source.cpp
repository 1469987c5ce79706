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
    auto is_utf8 = [](const std::string& c) {
        return c.empty() || c == "utf-8" || c == "utf8" || c == "utf_8" ||
               text::starts_with(c, "utf-8-") || text::starts_with(c, "utf_8_");
    };
    auto is_latin1 = [](const std::string& c) {
        return c == "latin-1" || c == "latin1" || c == "latin_1" || c == "iso-8859-1" ||
               c == "iso8859-1" || c == "iso_8859_1" || c == "l1" ||
               text::starts_with(c, "latin-1-") || text::starts_with(c, "iso-8859-1-");
    };
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
    if (is_latin1(coding)) {
        out.text.reserve(bytes.size());
        for (char c : bytes) {
            text::append_utf8(out.text, static_cast<unsigned char>(c));
        }
        return out;
    }
    out.error = SyntaxError{1, 1, "unsupported source encoding '" + coding + "'"};
    return out;
}

}  // namespace migcheck::python
