#pragma once

// The checked reading of YAML nodes that config/schema.yaml's loader is built
// on. Private to the loader (yaml_loader.cpp, yaml_column.cpp): the schema
// module's only files that see yaml-cpp.

#include "migcheck/schema/schema.hpp"

#include <map>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace migcheck::schema::detail {

// One key of a mapping, with its value.
struct Entry {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
};

// A foreign key whose target is checked once every table is known.
struct PendingReference {
    std::string owner;  // "users.org_id"
    std::string table;
    std::string column;
    YAML::Mark mark;
};

class Reader {
  public:
    explicit Reader(std::string path) : m_path(std::move(path)) {}

    const std::string& path() const { return m_path; }
    Location location(const YAML::Mark& mark) const { return Location{m_path, mark.line + 1}; }

    // Throws usage_error("<path>:LINE:COL: <message>").
    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const;

    // Where to point at an entry's value: its own mark, or the key's when the
    // value is empty (yaml-cpp marks an empty value at the next token).
    YAML::Mark value_mark(const Entry& entry) const;

    // The entries of a mapping in document order. Keys must be names; with
    // `known` non-empty, every key must be one of them (`context` says where,
    // as in "in column users.email"). A key given twice fails; with
    // `declared_as` non-empty ("table ", "column users.") the message speaks
    // of a declaration rather than a key.
    std::vector<Entry> entries(const YAML::Node& map, const std::vector<std::string>& known,
                               const std::string& context, const std::string& declared_as) const;

    // A scalar value as text; `what` describes the expected text.
    std::string text(const Entry& entry, const std::string& what) const;
    bool boolean(const Entry& entry) const;
    // A whole number of at least `minimum`.
    int whole_number(const Entry& entry, int minimum) const;
    // Fails unless `name` is a valid SQL identifier; `what` is "table name"...
    void check_identifier(const YAML::Mark& mark, const std::string& name,
                          const std::string& what) const;
    // Records an index or constraint name, which must be unique in the schema;
    // `owner` says who has it, as in "index ix_users_email at line 30".
    void claim_name(const std::string& name, const YAML::Mark& mark, const std::string& what,
                    const std::string& owner);

    void defer(PendingReference reference) { m_references.push_back(std::move(reference)); }
    const std::vector<PendingReference>& references() const { return m_references; }

  private:
    std::string m_path;
    std::map<std::string, std::string> m_names;
    std::vector<PendingReference> m_references;
};

// A column of table `table` from its entry in `columns`: the shorthand type
// name or the full mapping, with defaults filled in.
Column read_column(Reader& reader, const Table& table, const Entry& entry);

// The entry of that key, or nullptr.
const Entry* find_entry(const std::vector<Entry>& entries, const std::string& key);

// Advice for an unknown word: " (did you mean 'x'?)" when a candidate is
// close, else "; " + fallback.
std::string suggestion(const std::string& word, const std::vector<std::string>& candidates,
                       const std::string& fallback);

}  // namespace migcheck::schema::detail
