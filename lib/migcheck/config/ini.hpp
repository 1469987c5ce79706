#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migcheck::config {

// An INI file read as Python's configparser reads it (the way Alembic reads
// alembic.ini): case-insensitive keys, `=` or `:` separators, indented
// continuation lines, whole-line `#`/`;` comments, no inline comment stripping,
// duplicate sections and keys rejected, and `%(name)s` interpolation from the
// section, [DEFAULT] and the given defaults (`%%` is a literal percent).
class IniFile {
  public:
    // Parses `text`; throws usage_error("<display_path>:<line>: <message>") on
    // malformed input.
    static IniFile parse(std::string_view text, const std::string& display_path);

    bool has_section(const std::string& section) const;
    // The interpolated value, or nullopt when the key is absent.
    std::optional<std::string> get(const std::string& section, const std::string& key,
                                   const std::map<std::string, std::string>& defaults = {}) const;
    // The value as written, and its line.
    std::optional<std::string> raw(const std::string& section, const std::string& key) const;
    int line_of(const std::string& section, const std::string& key) const;
    const std::string& path() const { return m_path; }

  private:
    struct Value {
        std::string text;
        int line = 0;
    };
    std::string m_path;
    std::map<std::string, std::map<std::string, Value>> m_sections;
};

}  // namespace migcheck::config
