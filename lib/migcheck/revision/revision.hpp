#pragma once

#include "migcheck/report/finding.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migcheck::revision {

// One revision file's header, as Alembic reads it from the module's variables.
struct Revision {
    std::string id;
    std::vector<std::string> down_revisions;  // empty for a base
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;      // as written: ids, prefixes or labels
    std::string doc;          // the module docstring, stripped (Alembic's longdoc)
    std::string message;      // its first paragraph (Alembic's doc)
    std::string create_date;  // from the docstring's "Create Date:" line, or ""
    std::string path;         // relative to the project root
    int line = 1;             // line of the `revision` assignment
    int down_line = 1;
    int labels_line = 1;
    int depends_line = 1;
    bool data_only = false;   // carries a `# migcheck: data-only` comment
};

// The text of a header beyond what the graph is built from, as flags: what a
// command shows. Readers that can skip it (the header cache) leave the fields
// not asked for empty; a file parsed afresh always has all of them.
enum class HeaderText : unsigned {
    none = 0,
    message = 1,      // Revision::message
    create_date = 2,  // Revision::create_date
    doc = 4,          // Revision::doc
    all = 7,
};

constexpr HeaderText operator|(HeaderText a, HeaderText b) {
    return static_cast<HeaderText>(static_cast<unsigned>(a) | static_cast<unsigned>(b));
}

constexpr bool wants(HeaderText set, HeaderText field) {
    return (static_cast<unsigned>(set) & static_cast<unsigned>(field)) != 0;
}

// The result of reading one file: a revision, or findings that say why not
// (and sometimes both: a revision with a warning).
struct ReadResult {
    std::optional<Revision> revision;
    std::vector<Finding> findings;
};

// Reads one revision file's bytes. `path` is used in findings.
ReadResult read_revision(std::string_view bytes, const std::string& path);

// Alembic's rule for which names in a version location are revision files.
bool is_revision_file_name(std::string_view name);

}  // namespace migcheck::revision
