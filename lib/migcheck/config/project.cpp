#include "migcheck/config/project.hpp"

#include "migcheck/config/ini.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <sys/stat.h>

namespace migcheck::config {
namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

std::string parent_of(const std::string& dir) {
    std::size_t slash = dir.rfind('/');
    if (slash == std::string::npos || slash == 0) {
        return "/";
    }
    return dir.substr(0, slash);
}

// A path from alembic.ini made relative to the root where it lies under it.
std::string relative_to_root(const std::string& path, const std::string& root_abs) {
    std::string p = normalize_path(path);
    if (!p.empty() && p[0] == '/') {
        if (p == root_abs) {
            return "";
        }
        if (text::starts_with(p, root_abs + "/")) {
            return p.substr(root_abs.size() + 1);
        }
    }
    return p;
}

std::vector<std::string> split_locations(const std::string& value, const std::string& separator,
                                         const std::string& ini_path, int line) {
    std::vector<std::string> out;
    auto add = [&](std::string_view piece) {
        std::string_view t = text::trim(piece);
        if (!t.empty()) {
            out.emplace_back(t);
        }
    };
    if (separator.empty()) {
        // Alembic's legacy rule: split on commas and runs of spaces.
        std::string cur;
        for (char c : value) {
            if (c == ',' || c == ' ' || c == '\n' || c == '\t') {
                add(cur);
                cur.clear();
            } else {
                cur += c;
            }
        }
        add(cur);
        return out;
    }
    char sep = 0;
    if (separator == "space") {
        sep = ' ';
    } else if (separator == "os" || separator == ":") {
        sep = ':';
    } else if (separator == ";") {
        sep = ';';
    } else if (separator == "newline") {
        sep = '\n';
    } else {
        throw usage_error(ini_path + ":" + std::to_string(line) + ": '" + separator +
                          "' is not a valid value for version_path_separator; expected 'space', "
                          "'os', ':', ';' or 'newline'");
    }
    for (auto& piece : text::split(value, sep)) {
        add(piece);
    }
    return out;
}

AlembicSettings load_alembic(const FileSource& files, const std::string& root_abs,
                             const std::string& ini_rel) {
    AlembicSettings a;
    a.ini_path = ini_rel;
    auto text = files.read(ini_rel);
    if (!text) {
        return a;
    }
    a.present = true;
    IniFile ini = IniFile::parse(*text, ini_rel);
    const std::string section = "alembic";
    if (!ini.has_section(section)) {
        throw usage_error(ini_rel + ":1: no [alembic] section");
    }
    std::string ini_dir_rel = ini_rel.find('/') == std::string::npos
                                  ? std::string()
                                  : ini_rel.substr(0, ini_rel.rfind('/'));
    std::string here = ini_dir_rel.empty() ? root_abs : root_abs + "/" + ini_dir_rel;
    std::map<std::string, std::string> defaults = {{"here", here}};
    auto location = ini.get(section, "script_location", defaults);
    if (!location || text::trim(*location).empty()) {
        throw usage_error(ini_rel + ":1: no 'script_location' key in [alembic]");
    }
    if (location->find(':') != std::string::npos && (*location)[0] != '/') {
        throw usage_error(ini_rel + ":" + std::to_string(ini.line_of(section, "script_location")) +
                          ": script_location '" + *location +
                          "' names a package resource; migcheck reads folders only: give the "
                          "folder's path");
    }
    a.script_location = relative_to_root(join_path(ini_dir_rel, std::string(text::trim(*location))),
                                         root_abs);
    auto versions = ini.get(section, "version_locations", defaults);
    if (versions && !text::trim(*versions).empty()) {
        a.version_locations_line = ini.line_of(section, "version_locations");
        std::string separator;
        if (auto raw = ini.raw(section, "version_path_separator")) {
            // Alembic's own template writes a comment behind the value: take its first word.
            std::string_view t = text::trim(*raw);
            separator = std::string(t.substr(0, t.find_first_of(" \t")));
        }
        for (auto& loc : split_locations(*versions, separator, ini_rel,
                                         ini.line_of(section, "version_path_separator"))) {
            a.version_locations.push_back(relative_to_root(join_path(ini_dir_rel, loc), root_abs));
        }
    } else {
        a.version_locations.push_back(join_path(a.script_location, "versions"));
    }
    if (auto rec = ini.get(section, "recursive_version_locations", defaults)) {
        std::string v = text::to_lower(text::trim(*rec));
        a.recursive = v == "true" || v == "1" || v == "yes" || v == "on";
    }
    if (auto tpl = ini.raw(section, "file_template")) {
        a.file_template = *tpl;
    }
    if (auto tsl = ini.get(section, "truncate_slug_length", defaults)) {
        try {
            a.truncate_slug_length = std::stoi(*tsl);
        } catch (const std::exception&) {
            throw usage_error(ini_rel + ":" +
                              std::to_string(ini.line_of(section, "truncate_slug_length")) +
                              ": truncate_slug_length must be a whole number");
        }
    }
    if (auto url = ini.get(section, "sqlalchemy.url", defaults)) {
        a.sqlalchemy_url = *url;
        a.sqlalchemy_url_line = ini.line_of(section, "sqlalchemy.url");
    }
    if (auto table = ini.get(section, "version_table", defaults)) {
        a.version_table = *table;
    }
    return a;
}

}  // namespace

std::string find_root(const std::string& start) {
    std::string dir = normalize_path(start);
    for (std::string d = dir;; d = parent_of(d)) {
        if (exists(d + "/config/migcheck.yaml") || exists(d + "/alembic.ini")) {
            return d;
        }
        if (d == "/") {
            break;
        }
    }
    for (std::string d = dir;; d = parent_of(d)) {
        if (exists(d + "/.git")) {
            return d;
        }
        if (d == "/") {
            break;
        }
    }
    return dir;
}

Project load_project(const FileSource& files, const std::string& root_abs) {
    Project p;
    p.root = root_abs;
    const std::string settings_path = "config/migcheck.yaml";
    if (auto text = files.read(settings_path)) {
        p.settings = parse_settings(*text, settings_path);
    }
    p.alembic = load_alembic(files, root_abs, p.settings.alembic_ini);
    return p;
}

}  // namespace migcheck::config
