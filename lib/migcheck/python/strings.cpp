#include "migcheck/python/strings.hpp"

#include "migcheck/util/text.hpp"

#include <cctype>

namespace migcheck::python {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

void append_unit(std::string& out, char32_t cp, bool bytes) {
    if (bytes) {
        out += static_cast<char>(cp & 0xFF);
    } else {
        text::append_utf8(out, cp);
    }
}

}  // namespace

std::optional<StringPiece> decode_string_token(std::string_view token, std::string& error) {
    StringPiece piece;
    std::size_t i = 0;
    while (i < token.size() && token[i] != '\'' && token[i] != '"') {
        char c = static_cast<char>(std::tolower(static_cast<unsigned char>(token[i])));
        piece.raw |= c == 'r';
        piece.bytes |= c == 'b';
        piece.formatted |= c == 'f';
        ++i;
    }
    char q = token[i];
    std::size_t quote_len = token.substr(i, 3) == std::string(3, q) && token.size() - i >= 6 ? 3 : 1;
    std::string_view body = token.substr(i + quote_len, token.size() - i - 2 * quote_len);
    if (piece.bytes) {
        for (char c : body) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                error = "bytes can only contain ASCII literal characters";
                return std::nullopt;
            }
        }
    }
    if (piece.raw || piece.formatted) {
        // Raw strings keep their backslashes; f-strings are not constants and
        // their text is only ever shown, so it is kept as written.
        piece.value.assign(body);
        return piece;
    }
    std::string& out = piece.value;
    out.reserve(body.size());
    for (std::size_t k = 0; k < body.size(); ++k) {
        char c = body[k];
        if (c != '\\') {
            out += c;
            continue;
        }
        if (k + 1 >= body.size()) {
            out += c;
            break;
        }
        char e = body[++k];
        switch (e) {
        case '\n':
            break;
        case '\r':
            if (k + 1 < body.size() && body[k + 1] == '\n') {
                ++k;
            }
            break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            char32_t v = static_cast<char32_t>(e - '0');
            for (int n = 0; n < 2 && k + 1 < body.size() && body[k + 1] >= '0' && body[k + 1] <= '7';
                 ++n) {
                v = v * 8 + static_cast<char32_t>(body[++k] - '0');
            }
            append_unit(out, v, piece.bytes);
            break;
        }
        case 'x':
        case 'u':
        case 'U': {
            if (e != 'x' && piece.bytes) {
                out += '\\';
                out += e;
                break;
            }
            int digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            char32_t v = 0;
            for (int n = 0; n < digits; ++n) {
                if (k + 1 >= body.size() || hex_value(body[k + 1]) < 0) {
                    error = std::string("(unicode error) truncated \\") + e +
                            std::string(static_cast<std::size_t>(digits), 'X') + " escape";
                    return std::nullopt;
                }
                v = v * 16 + static_cast<char32_t>(hex_value(body[++k]));
            }
            if (v > 0x10FFFF) {
                error = "(unicode error) illegal Unicode character";
                return std::nullopt;
            }
            if (!piece.bytes && v >= 0xD800 && v <= 0xDBFF && k + 6 < body.size() &&
                body[k + 1] == '\\' && body[k + 2] == 'u') {
                // A high surrogate followed by a low one spells one character.
                char32_t low = 0;
                bool ok = true;
                for (std::size_t n = 3; n < 7; ++n) {
                    int h = hex_value(body[k + n]);
                    ok &= h >= 0;
                    low = low * 16 + static_cast<char32_t>(h < 0 ? 0 : h);
                }
                if (ok && low >= 0xDC00 && low <= 0xDFFF) {
                    v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00);
                    k += 6;
                }
            }
            if (!piece.bytes && v >= 0xD800 && v <= 0xDFFF) {
                v = 0xFFFD;  // a lone surrogate has no UTF-8 form
            }
            append_unit(out, v, piece.bytes);
            break;
        }
        case 'N':
            if (!piece.bytes) {
                std::size_t close = body.find('}', k);
                if (k + 1 >= body.size() || body[k + 1] != '{' || close == std::string_view::npos) {
                    error = "(unicode error) malformed \\N character escape";
                    return std::nullopt;
                }
                piece.inexact = true;
                out += body.substr(k - 1, close - k + 2);
                k = close;
                break;
            }
            out += '\\';
            out += e;
            break;
        default:
            out += '\\';
            out += e;
            break;
        }
    }
    return piece;
}

}  // namespace migcheck::python
