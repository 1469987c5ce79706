#include "migcheck/generate/revision_file.hpp"

#include "migcheck/generate/python.hpp"
#include "migcheck/util/error.hpp"

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

std::string slug(const std::string& message, int truncate) {
    // Characters (UTF-8 sequences kept whole), so that the cut counts as
    // Python's len() does.
    std::vector<std::string> chars;
    bool in_word = false;
    for (std::size_t i = 0; i < message.size();) {
        const auto u = static_cast<unsigned char>(message[i]);
        std::size_t n = u < 0x80 ? 1 : u >= 0xf0 ? 4 : u >= 0xe0 ? 3 : u >= 0xc0 ? 2 : 1;
        n = std::min(n, message.size() - i);
        const bool word = u >= 0x80 || std::isalnum(u) != 0 || u == '_';
        if (word) {
            if (!in_word && !chars.empty()) {
                chars.emplace_back("_");
            }
            std::string ch = message.substr(i, n);
            if (n == 1) {
                ch[0] = static_cast<char>(std::tolower(u));
            }
            chars.push_back(std::move(ch));
        }
        in_word = word;
        i += n;
    }
    std::string out;
    if (truncate >= 0 && chars.size() > static_cast<std::size_t>(truncate)) {
        chars.resize(static_cast<std::size_t>(truncate));
        std::string cut;
        for (const auto& c : chars) {
            cut += c;
        }
        // Python's cut.rsplit("_", 1)[0] + "_".
        const auto last = cut.rfind('_');
        return (last == std::string::npos ? cut : cut.substr(0, last)) + "_";
    }
    for (const auto& c : chars) {
        out += c;
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
