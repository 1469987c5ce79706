#pragma once

#include "migcheck/report/finding.hpp"
#include "migcheck/util/file_source.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace migcheck::config {

// config/migcheck.yaml, with its documented defaults.
struct Settings {
    std::string path;  // "config/migcheck.yaml" when the file exists, else ""
    std::string schema = "config/schema.yaml";
    std::vector<std::string> models = {"**/models.py", "**/models/**/*.py"};
    std::string alembic_ini = "alembic.ini";
    std::map<std::string, Severity> rules;  // overrides of default severities
    std::optional<int> heads;               // expected number of heads
    std::optional<bool> render_as_batch;

    // The severity of a rule after overrides.
    Severity severity(const std::string& code) const;
};

// What alembic.ini says about where revisions live.
struct AlembicSettings {
    bool present = false;     // alembic.ini exists
    std::string ini_path;     // relative to the root
    std::string script_location;             // relative to the root
    std::vector<std::string> version_locations;  // relative to the root (or absolute)
    int version_locations_line = 0;
    bool recursive = false;
    std::string file_template = "%%(rev)s_%%(slug)s";
    std::optional<int> truncate_slug_length;
    std::string sqlalchemy_url;
    int sqlalchemy_url_line = 0;
    std::string version_table = "alembic_version";
};

struct Project {
    std::string root;  // absolute path of the project root
    Settings settings;
    AlembicSettings alembic;
};

// The project root for `start` (an absolute directory): the nearest ancestor
// holding config/migcheck.yaml or alembic.ini, else the nearest holding .git,
// else `start` itself.
std::string find_root(const std::string& start);

// Parses config/migcheck.yaml text; throws usage_error with path:line:col.
Settings parse_settings(const std::string& text, const std::string& display_path);

// Reads migcheck.yaml and alembic.ini from `files` (rooted at `root_abs`, the
// absolute path %(here)s is computed from). Throws usage_error on bad config.
Project load_project(const FileSource& files, const std::string& root_abs);

}  // namespace migcheck::config
