#include "migcheck/config/ini.hpp"

#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

namespace migcheck::config {
namespace {

std::string rstrip(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

}  // namespace

IniFile IniFile::parse(std::string_view text, const std::string& display_path) {
    IniFile ini;
    ini.m_path = display_path;
    auto fail = [&](int line, const std::string& message) {
        return usage_error(display_path + ":" + std::to_string(line) + ": " + message);
    };
    std::string section;
    Value* current = nullptr;
    int current_indent = 0;
    int line_no = 0;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t nl = text.find('\n', pos);
        std::string_view line =
            text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        ++line_no;
        std::string_view stripped = text::trim(line);
        int indent = 0;
        while (static_cast<std::size_t>(indent) < line.size() &&
               (line[static_cast<std::size_t>(indent)] == ' ' ||
                line[static_cast<std::size_t>(indent)] == '\t')) {
            ++indent;
        }
        if (stripped.empty()) {
            // configparser keeps blank lines inside a multi-line value only
            // while more continuation follows; trailing ones are dropped below.
            if (current != nullptr) {
                current->text += "\n";
            }
            continue;
        }
        if (stripped[0] == '#' || stripped[0] == ';') {
            continue;
        }
        if (current != nullptr && indent > current_indent) {
            current->text += '\n';
            current->text.append(stripped);
            continue;
        }
        if (current != nullptr) {
            while (!current->text.empty() && current->text.back() == '\n') {
                current->text.pop_back();
            }
        }
        current = nullptr;
        if (stripped[0] == '[') {
            std::size_t close = stripped.find(']');
            if (close == std::string_view::npos) {
                throw fail(line_no, "section header is not closed: " + std::string(stripped));
            }
            section = std::string(stripped.substr(1, close - 1));
            if (ini.m_sections.count(section) != 0U) {
                throw fail(line_no, "section [" + section + "] appears twice");
            }
            ini.m_sections[section];
            continue;
        }
        if (section.empty()) {
            throw fail(line_no, "a key before any [section] header: " + std::string(stripped));
        }
        std::size_t eq = stripped.find_first_of("=:");
        if (eq == std::string_view::npos) {
            throw fail(line_no, "expected 'key = value', found: " + std::string(stripped));
        }
        std::string key = text::to_lower(rstrip(stripped.substr(0, eq)));
        if (key.empty()) {
            throw fail(line_no, "empty key before '" + std::string(1, stripped[eq]) + "'");
        }
        auto& sec = ini.m_sections[section];
        if (sec.count(key) != 0U) {
            throw fail(line_no, "key '" + key + "' appears twice in section [" + section +
                                    "] (first at line " + std::to_string(sec[key].line) + ")");
        }
        Value& v = sec[key];
        v.text = std::string(text::trim(stripped.substr(eq + 1)));
        v.line = line_no;
        current = &v;
        current_indent = indent;
    }
    if (current != nullptr) {
        while (!current->text.empty() && current->text.back() == '\n') {
            current->text.pop_back();
        }
    }
    return ini;
}

bool IniFile::has_section(const std::string& section) const {
    return m_sections.count(section) != 0U;
}

std::optional<std::string> IniFile::raw(const std::string& section, const std::string& key) const {
    auto s = m_sections.find(section);
    if (s != m_sections.end()) {
        auto k = s->second.find(text::to_lower(key));
        if (k != s->second.end()) {
            return k->second.text;
        }
    }
    auto d = m_sections.find("DEFAULT");
    if (d != m_sections.end()) {
        auto k = d->second.find(text::to_lower(key));
        if (k != d->second.end()) {
            return k->second.text;
        }
    }
    return std::nullopt;
}

int IniFile::line_of(const std::string& section, const std::string& key) const {
    auto s = m_sections.find(section);
    if (s != m_sections.end()) {
        auto k = s->second.find(text::to_lower(key));
        if (k != s->second.end()) {
            return k->second.line;
        }
    }
    return 0;
}

std::optional<std::string> IniFile::get(const std::string& section, const std::string& key,
                                        const std::map<std::string, std::string>& defaults) const {
    auto value = raw(section, key);
    if (!value) {
        auto d = defaults.find(text::to_lower(key));
        if (d == defaults.end()) {
            return std::nullopt;
        }
        value = d->second;
    }
    int line = line_of(section, key);
    // Basic interpolation, as configparser's BasicInterpolation, bounded in depth.
    std::string out;
    const std::string& in = *value;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 1 < in.size() && in[i + 1] == '%') {
            out += '%';
            ++i;
            continue;
        }
        if (i + 1 < in.size() && in[i + 1] == '(') {
            std::size_t close = in.find(")s", i);
            if (close != std::string::npos) {
                std::string name = text::to_lower(in.substr(i + 2, close - i - 2));
                std::optional<std::string> sub;
                if (name != text::to_lower(key)) {
                    sub = get(section, name, defaults);
                }
                if (!sub) {
                    throw usage_error(m_path + ":" + std::to_string(line) + ": '" + key +
                                      "' refers to %(" + name + ")s, which is not defined");
                }
                out += *sub;
                i = close + 1;
                continue;
            }
        }
        throw usage_error(m_path + ":" + std::to_string(line) + ": '%' in '" + key +
                          "' must be followed by '%' or '(name)s' (write %% for a percent sign)");
    }
    return out;
}

}  // namespace migcheck::config
