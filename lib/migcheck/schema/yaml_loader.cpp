// config/schema.yaml's loader: the document, tables, indexes and constraints,
// and the check that needs every table: foreign key targets.
#include "migcheck/schema/yaml_loader.hpp"

#include "migcheck/schema/yaml_reader.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>

namespace migcheck::schema {
namespace {

using detail::Entry;
using detail::Reader;
using detail::suggestion;

const std::vector<std::string> top_keys = {"version", "tables"};
const std::vector<std::string> table_keys = {"columns", "indexes", "unique_constraints", "comment",
                                             "renamed_from"};
const std::vector<std::string> index_keys = {"name", "columns", "unique"};
const std::vector<std::string> unique_keys = {"name", "columns"};

std::vector<std::string> column_names(const Table& table) {
    std::vector<std::string> out;
    for (const auto& c : table.columns) {
        out.push_back(c.name);
    }
    return out;
}

std::vector<std::string> table_names(const Schema& schema) {
    std::vector<std::string> out;
    for (const auto& t : schema.tables) {
        out.push_back(t.name);
    }
    return out;
}

std::string line_of(const YAML::Node& node) {
    return std::to_string(node.Mark().line + 1);
}

// The column names of an index or constraint: a non-empty list of columns of
// the table, each once. `owner` names the index or constraint.
std::vector<std::string> read_column_list(const Reader& r, const Table& table, const Entry& e,
                                          const std::string& owner) {
    if (!e.value.IsSequence() || e.value.size() == 0) {
        r.fail(r.value_mark(e),
               "'columns' of " + owner + " must be a non-empty list of column names, e.g. [email]");
    }
    std::vector<std::string> out;
    for (const auto& item : e.value) {
        if (!item.IsScalar()) {
            r.fail(item.Mark(), "'columns' of " + owner + " must list column names");
        }
        const std::string& name = item.Scalar();
        if (table.find_column(name) == nullptr) {
            r.fail(item.Mark(), owner + " names column '" + name + "', which table " + table.name +
                                    " does not have" +
                                    suggestion(name, column_names(table),
                                               "declare it under 'columns' or fix the name"));
        }
        if (std::find(out.begin(), out.end(), name) != out.end()) {
            r.fail(item.Mark(),
                   owner + " lists column '" + name + "' twice; list each column once");
        }
        out.push_back(name);
    }
    return out;
}

// The index name SQLAlchemy's convention would give, to suggest when the name
// is missing.
std::string suggested_index_name(const Table& table, const YAML::Node& columns) {
    std::string out = "ix_" + table.name;
    if (columns.IsSequence()) {
        for (const auto& c : columns) {
            if (c.IsScalar()) {
                out += "_" + c.Scalar();
            }
        }
    }
    return out;
}

Index read_index(Reader& r, const Table& table, const YAML::Node& item) {
    std::string some = "an index of table " + table.name;
    if (!item.IsMap()) {
        r.fail(item.Mark(), "each index of table " + table.name +
                                " must be a mapping such as {name: ix_" + table.name +
                                "_email, columns: [email]}");
    }
    auto items = r.entries(item, index_keys, "in " + some, "");
    Index index;
    index.where = r.location(item.Mark());
    const Entry* name = find_entry(items, "name");
    const Entry* columns = find_entry(items, "columns");
    if (name == nullptr) {
        std::string example = suggested_index_name(table, columns ? columns->value : YAML::Node());
        r.fail(item.Mark(), some + " has no 'name'; add one, e.g. name: " + example);
    }
    index.name = r.text(*name, "the index's name");
    r.check_identifier(r.value_mark(*name), index.name, "index name");
    std::string owner = "index " + index.name;
    if (columns == nullptr) {
        r.fail(item.Mark(), owner + " has no 'columns'; add columns: [...], the indexed columns");
    }
    for (const auto& k : items) {
        if (k.key == "columns") {
            index.columns = read_column_list(r, table, k, owner);
        } else if (k.key == "unique") {
            index.unique = r.boolean(k);
        }
    }
    r.claim_name(index.name, r.value_mark(*name), "index", "the index at line " + line_of(item));
    return index;
}

UniqueConstraint read_unique(Reader& r, const Table& table, const YAML::Node& item) {
    std::string some = "a unique constraint of table " + table.name;
    if (!item.IsMap()) {
        r.fail(item.Mark(), "each unique constraint of table " + table.name +
                                " must be a mapping such as {name: uq_" + table.name +
                                "_email, columns: [email]}");
    }
    auto items = r.entries(item, unique_keys, "in " + some, "");
    UniqueConstraint unique;
    unique.where = r.location(item.Mark());
    std::string owner = some;
    if (const Entry* name = find_entry(items, "name")) {
        unique.name = r.text(*name, "the constraint's name");
        r.check_identifier(r.value_mark(*name), unique.name, "unique constraint name");
        owner = "unique constraint " + unique.name;
        r.claim_name(unique.name, r.value_mark(*name), "unique constraint",
                     "the unique constraint at line " + line_of(item));
    }
    const Entry* columns = find_entry(items, "columns");
    if (columns == nullptr) {
        r.fail(item.Mark(), owner + " has no 'columns'; add columns: [...], the columns whose "
                                    "values together are unique");
    }
    unique.columns = read_column_list(r, table, *columns, owner);
    return unique;
}

// Reads one list of indexes or constraints with `read`.
template <typename Read>
void read_list(const Reader& r, const Entry& e, const Table& table, const std::string& what,
               Read read) {
    if (e.value.IsNull()) {
        return;
    }
    if (!e.value.IsSequence()) {
        r.fail(r.value_mark(e),
               "'" + e.key + "' of table " + table.name + " must be a list of " + what);
    }
    for (const auto& item : e.value) {
        read(item);
    }
}

Table read_table(Reader& r, const Entry& e) {
    Table table;
    table.name = e.key;
    table.where = r.location(e.key_node.Mark());
    r.check_identifier(e.key_node.Mark(), table.name, "table name");
    if (!e.value.IsMap()) {
        r.fail(r.value_mark(e), "table " + table.name + " must be a mapping with a 'columns' map");
    }
    auto items = r.entries(e.value, table_keys, "in table " + table.name, "");
    // Columns first, wherever the key is: indexes and constraints name them.
    const Entry* columns = find_entry(items, "columns");
    if (columns == nullptr) {
        r.fail(e.key_node.Mark(), "table " + table.name +
                                      " has no 'columns'; add a 'columns:' map of column names "
                                      "to types");
    }
    if (!columns->value.IsMap()) {
        r.fail(r.value_mark(*columns),
               "'columns' of table " + table.name + " must map column names to columns");
    }
    for (const auto& c : r.entries(columns->value, {}, "", "column " + table.name + ".")) {
        table.columns.push_back(detail::read_column(r, table, c));
    }
    if (table.columns.empty()) {
        r.fail(r.value_mark(*columns),
               "table " + table.name + " has no columns; declare at least one");
    }
    for (const auto& k : items) {
        if (k.key == "indexes") {
            read_list(r, k, table, "{name, columns, unique}", [&](const YAML::Node& item) {
                table.indexes.push_back(read_index(r, table, item));
            });
        } else if (k.key == "unique_constraints") {
            read_list(r, k, table, "{name, columns}", [&](const YAML::Node& item) {
                table.unique_constraints.push_back(read_unique(r, table, item));
            });
        } else if (k.key == "comment") {
            table.comment = r.text(k, "text");
        } else if (k.key == "renamed_from") {
            table.renamed_from = r.text(k, "the table's previous name");
            r.check_identifier(r.value_mark(k), table.renamed_from, "previous table name");
            if (table.renamed_from == table.name) {
                r.fail(r.value_mark(k),
                       "table " + table.name + " is renamed from itself; remove 'renamed_from'");
            }
        }
    }
    return table;
}

}  // namespace

Schema load_schema_yaml(std::string_view text, const std::string& path) {
    Reader r(path);
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        r.fail(e.mark, "invalid YAML: " + e.msg);
    }
    if (!root || root.IsNull()) {
        r.fail(YAML::Mark::null_mark(),
               "the file is empty; start it with 'version: 1' and a 'tables:' map");
    }
    if (!root.IsMap()) {
        r.fail(root.Mark(), "expected a mapping with 'version' and 'tables'");
    }
    auto items = r.entries(root, top_keys, "at the top level", "");
    const Entry* version = find_entry(items, "version");
    if (version == nullptr) {
        r.fail(root.Mark(), "missing 'version'; add 'version: 1' at the top");
    }
    std::string v = r.text(*version, "1");
    if (v != "1") {
        bool number = !v.empty() &&
                      std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
        r.fail(r.value_mark(*version), number ? "format version " + v +
                                                    " is newer than this migcheck reads (1); "
                                                    "upgrade migcheck"
                                              : "'version' must be 1");
    }
    const Entry* tables = find_entry(items, "tables");
    if (tables == nullptr) {
        r.fail(root.Mark(), "missing 'tables'; add a 'tables:' map of table names to tables");
    }
    Schema schema;
    if (tables->value.IsNull()) {
        return schema;
    }
    if (!tables->value.IsMap()) {
        r.fail(r.value_mark(*tables), "'tables' must map table names to tables");
    }
    for (const auto& t : r.entries(tables->value, {}, "", "table ")) {
        schema.tables.push_back(read_table(r, t));
    }
    for (const auto& ref : r.references()) {
        const Table* target = schema.find_table(ref.table);
        if (target == nullptr) {
            r.fail(ref.mark, "the foreign key of " + ref.owner + " references table '" + ref.table +
                                 "', which is not declared" +
                                 suggestion(ref.table, table_names(schema),
                                            "declare it under 'tables' or fix the name"));
        }
        if (target->find_column(ref.column) == nullptr) {
            r.fail(ref.mark, "the foreign key of " + ref.owner + " references column " + ref.table +
                                 "." + ref.column + ", which is not declared" +
                                 suggestion(ref.column, column_names(*target),
                                            "declare it under the table's 'columns' or fix the "
                                            "name"));
        }
    }
    return schema;
}

}  // namespace migcheck::schema
