#include "migcheck/generate/revision_file.hpp"

#include "migcheck/generate/python.hpp"
#include "migcheck/util/error.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <random>
#include <variant>

namespace migcheck::generate {

std::string new_revision_id() {
    std::random_device device;
    std::uniform_int_distribution<int> digit(0, 15);
    std::string id;
    for (int i = 0; i < 12; ++i) {
        id += "0123456789abcdef"[digit(device)];
    }
    return id;
}

CreateDate now() {
    const auto t = std::chrono::system_clock::now();
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
    std::tm local{};
    localtime_r(&seconds, &local);
    CreateDate d;
    d.year = local.tm_year + 1900;
    d.month = local.tm_mon + 1;
    d.day = local.tm_mday;
    d.hour = local.tm_hour;
    d.minute = local.tm_min;
    d.second = local.tm_sec;
    d.microsecond = static_cast<int>(micros % 1000000);
    d.epoch = static_cast<long long>(seconds);
    return d;
}

std::string to_string(const CreateDate& d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year, d.month, d.day, d.hour,
                  d.minute, d.second);
    std::string out = buf;
    if (d.microsecond != 0) {
        std::snprintf(buf, sizeof buf, ".%06d", d.microsecond);
        out += buf;
    }
    return out;
}

namespace {

// Python's \w for a character outside ASCII: letters and digits of any
// script. Without Unicode's tables, the blocks of punctuation, symbols and
// spaces (and the Latin-1 ones among letters) are what is not a word.
bool is_word_char(char32_t c) {
    if (c < 0x80) {
        return std::isalnum(static_cast<int>(c)) != 0 || c == '_';
    }
    if (c <= 0xbf) {
        return c == 0xaa || c == 0xb5 || c == 0xba || c == 0xb2 || c == 0xb3 || c == 0xb9 ||
               (c >= 0xbc && c <= 0xbe);
    }
    if (c == 0xd7 || c == 0xf7) {
        return false;
    }
    return !((c >= 0x2000 && c <= 0x2bff) || (c >= 0x3000 && c <= 0x303f) ||
             (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff0f) ||
             (c >= 0xff1a && c <= 0xff20) || (c >= 0xff3b && c <= 0xff40) ||
             (c >= 0xff5b && c <= 0xff65) || (c >= 0x1f000 && c <= 0x1faff) ||
             (c >= 0xe000 && c <= 0xf8ff));
}

// str.lower() for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic.
char32_t lower(char32_t c) {
    if (c < 0x80) {
        return static_cast<char32_t>(std::tolower(static_cast<int>(c)));
    }
    if ((c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3ab && c != 0x3a2) ||
        (c >= 0x410 && c <= 0x42f)) {
        return c + 0x20;
    }
    if (c >= 0x400 && c <= 0x40f) {
        return c + 0x50;
    }
    if (((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177)) && c % 2 == 0) {
        return c + 1;
    }
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)) && c % 2 == 1) {
        return c + 1;
    }
    return c == 0x178 ? 0xff : c;
}

void append_utf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xc0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xe0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
        out += static_cast<char>(0xf0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
        out += static_cast<char>(0x80 | (c & 0x3f));
    }
}

// The code points of UTF-8 text; a byte that starts no valid sequence
// stands for itself (as a Latin-1 character would).
std::vector<char32_t> code_points(const std::string& text) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto u = static_cast<unsigned char>(text[i]);
        std::size_t n = u < 0x80 ? 1 : u >= 0xf0 ? 4 : u >= 0xe0 ? 3 : u >= 0xc0 ? 2 : 0;
        char32_t c = n == 1 ? u : n == 2 ? (u & 0x1fU) : n == 3 ? (u & 0x0fU) : (u & 0x07U);
        bool ok = n != 0 && i + n <= text.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            ok = (b & 0xc0) == 0x80;
            c = (c << 6) | (b & 0x3fU);
        }
        out.push_back(ok ? c : u);
        i += ok ? n : 1;
    }
    return out;
}

}  // namespace

std::string slug(const std::string& message, int truncate) {
    // Characters, not bytes, so that the cut counts as Python's len() does.
    std::vector<char32_t> chars;
    bool in_word = false;
    for (char32_t c : code_points(message)) {
        const bool word = is_word_char(c);
        if (word) {
            if (!in_word && !chars.empty()) {
                chars.push_back('_');
            }
            chars.push_back(lower(c));
        }
        in_word = word;
    }
    if (truncate >= 0 && chars.size() > static_cast<std::size_t>(truncate)) {
        chars.resize(static_cast<std::size_t>(truncate));
        // Python's cut.rsplit("_", 1)[0] + "_".
        auto last = std::find(chars.rbegin(), chars.rend(), U'_');
        if (last != chars.rend()) {
            chars.erase(std::prev(last.base()), chars.end());
        }
        chars.push_back('_');
    }
    std::string out;
    for (char32_t c : chars) {
        append_utf8(out, c);
    }
    return out;
}

namespace {

using Value = std::variant<std::string, long long>;

// One %-conversion of Python's printf-style formatting.
std::string convert(const Value& value, const std::string& flags, int width, int precision,
                    char conversion, const std::string& where) {
    std::string body;
    bool negative = false;
    if (conversion == 's' || conversion == 'r') {
        if (const auto* s = std::get_if<std::string>(&value)) {
            body = conversion == 'r' ? python_repr(*s) : *s;
        } else {
            body = std::to_string(std::get<long long>(value));
        }
        if (precision >= 0 && body.size() > static_cast<std::size_t>(precision)) {
            body.resize(static_cast<std::size_t>(precision));
        }
    } else if (conversion == 'd' || conversion == 'i' || conversion == 'u') {
        const auto* n = std::get_if<long long>(&value);
        if (n == nullptr) {
            throw usage_error(where + ": file_template: %" + std::string(1, conversion) +
                              " format: a number is required, not str");
        }
        negative = *n < 0;
        body = std::to_string(negative ? -*n : *n);
        if (precision > 0 && body.size() < static_cast<std::size_t>(precision)) {
            body.insert(0, static_cast<std::size_t>(precision) - body.size(), '0');
        }
        std::string sign = negative ? "-" : flags.find('+') != std::string::npos ? "+"
                                        : flags.find(' ') != std::string::npos   ? " "
                                                                                 : "";
        if (flags.find('0') != std::string::npos && flags.find('-') == std::string::npos &&
            width > 0 && body.size() + sign.size() < static_cast<std::size_t>(width)) {
            body.insert(0, static_cast<std::size_t>(width) - body.size() - sign.size(), '0');
        }
        body = sign + body;
    } else {
        throw usage_error(where + ": file_template: unsupported format character '" +
                          std::string(1, conversion) + "'");
    }
    if (width > 0 && body.size() < static_cast<std::size_t>(width)) {
        const std::string pad(static_cast<std::size_t>(width) - body.size(), ' ');
        body = flags.find('-') != std::string::npos ? body + pad : pad + body;
    }
    return body;
}

}  // namespace

std::string file_name(const std::string& file_template, const std::string& rev,
                      const std::string& slug_text, const CreateDate& date,
                      const std::string& where) {
    // configparser's interpolation: "%%" is "%".
    std::string tpl;
    for (std::size_t i = 0; i < file_template.size(); ++i) {
        tpl += file_template[i];
        if (file_template[i] == '%' && i + 1 < file_template.size() && file_template[i + 1] == '%') {
            ++i;
        }
    }
    const std::map<std::string, Value> values = {
        {"rev", rev},          {"slug", slug_text},     {"epoch", date.epoch},
        {"year", date.year},   {"month", date.month},   {"day", date.day},
        {"hour", date.hour},   {"minute", date.minute}, {"second", date.second}};
    std::string out;
    for (std::size_t i = 0; i < tpl.size(); ++i) {
        if (tpl[i] != '%') {
            out += tpl[i];
            continue;
        }
        if (i + 1 < tpl.size() && tpl[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        if (i + 1 >= tpl.size() || tpl[i + 1] != '(') {
            throw usage_error(where + ": file_template '" + file_template +
                              "': a % that is not %(name)s; write %% for a percent sign");
        }
        const auto close = tpl.find(')', i);
        if (close == std::string::npos) {
            throw usage_error(where + ": file_template '" + file_template + "': unclosed %(");
        }
        const std::string name = tpl.substr(i + 2, close - i - 2);
        auto it = values.find(name);
        if (it == values.end()) {
            throw usage_error(where + ": file_template '" + file_template + "': unknown token '" +
                              name +
                              "'; the tokens are rev, slug, epoch, year, month, day, hour, "
                              "minute and second");
        }
        std::size_t j = close + 1;
        std::string flags;
        while (j < tpl.size() && std::string("-+ #0").find(tpl[j]) != std::string::npos) {
            flags += tpl[j++];
        }
        int width = 0;
        while (j < tpl.size() && std::isdigit(static_cast<unsigned char>(tpl[j])) != 0) {
            width = width * 10 + (tpl[j++] - '0');
        }
        int precision = -1;
        if (j < tpl.size() && tpl[j] == '.') {
            precision = 0;
            ++j;
            while (j < tpl.size() && std::isdigit(static_cast<unsigned char>(tpl[j])) != 0) {
                precision = precision * 10 + (tpl[j++] - '0');
            }
        }
        if (j >= tpl.size()) {
            throw usage_error(where + ": file_template '" + file_template +
                              "': incomplete format after %(" + name + ")");
        }
        out += convert(it->second, flags, width, precision, tpl[j], where);
        i = j;
    }
    return out + ".py";
}

}  // namespace migcheck::generate
