// The schema of a live SQLite database. The pragmas give columns, keys,
// indexes and foreign keys but forget constraint names, which only the
// CREATE TABLE text in sqlite_master keeps; ddl_parse reads them from there.
//
// The primary key: a key of one column, unnamed, is Column::primary_key; a
// composite key or a named one is Table::primary_key, in key order, with
// Column::primary_key set on its columns too, as the models reader does.
// Nullability is SQLite's notnull flag as is: an ordinary table's key column
// declared without NOT NULL does accept NULL, and compare() treats key
// columns as NOT NULL anyway.
#include "migcheck/sql/introspect.hpp"

#include "migcheck/sql/ddl_parse.hpp"
#include "migcheck/sql/types.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>
#include <utility>

namespace migcheck::sql {
namespace {

using Names = std::vector<std::string>;
using Kind = DdlConstraint::Kind;

// SQLite matches identifiers without regard to ASCII case, so the
// constraint text may spell a column otherwise than the pragmas do.
bool same_name(const std::string& x, const std::string& y) {
    return text::to_lower(x) == text::to_lower(y);
}

bool same_names(const Names& x, const Names& y) {
    return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(), same_name);
}

bool same_name_set(Names x, Names y) {
    for (auto* names : {&x, &y}) {
        for (auto& n : *names) {
            n = text::to_lower(n);
        }
        std::sort(names->begin(), names->end());
    }
    return x == y;
}

// The constraints of one table as its CREATE TABLE text writes them, each
// claimed at most once, so that two constraints on the same columns keep
// their own names.
class DdlNames {
  public:
    explicit DdlNames(std::vector<DdlConstraint> constraints)
        : m_constraints(std::move(constraints)), m_used(m_constraints.size()) {}

    // The first unclaimed constraint of `kind` that `matches`, claimed, or
    // nullptr.
    template <typename Matches> const DdlConstraint* claim(Kind kind, Matches matches) {
        for (std::size_t i = 0; i < m_constraints.size(); ++i) {
            if (!m_used[i] && m_constraints[i].kind == kind && matches(m_constraints[i])) {
                m_used[i] = true;
                return &m_constraints[i];
            }
        }
        return nullptr;
    }

  private:
    std::vector<DdlConstraint> m_constraints;
    std::vector<bool> m_used;
};

std::string name_of(const DdlConstraint* c) {
    return c != nullptr ? c->name : "";
}

// SQLite's own tables and the version table are not the application's.
bool is_skipped(const std::string& table, const std::string& version_table) {
    return text::starts_with(text::to_lower(table), "sqlite_") || same_name(table, version_table);
}

// The table's primary key columns in key order; empty without a key.
Names primary_key_columns(SQLite::Database& db, const std::string& table) {
    SQLite::Statement q(db, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk");
    q.bind(1, table);
    Names out;
    while (q.executeStep()) {
        out.push_back(q.getColumn(0).getString());
    }
    return out;
}

void read_columns(SQLite::Database& db, schema::Table& table, const schema::Location& where,
                  DdlNames& ddl) {
    SQLite::Statement q(db, "SELECT name, type, \"notnull\", dflt_value, pk "
                            "FROM pragma_table_info(?) ORDER BY cid");
    q.bind(1, table.name);
    std::vector<std::pair<int, std::string>> key;
    while (q.executeStep()) {
        schema::Column c;
        c.name = q.getColumn(0).getString();
        c.type = parse_sqlite_type(q.getColumn(1).getString());
        c.nullable = q.getColumn(2).getInt() == 0;
        if (!q.getColumn(3).isNull()) {
            c.server_default = q.getColumn(3).getString();
        }
        if (int position = q.getColumn(4).getInt(); position > 0) {
            key.emplace_back(position, c.name);
        }
        c.where = where;
        table.columns.push_back(std::move(c));
    }
    std::sort(key.begin(), key.end());
    Names key_columns;
    for (auto& [position, name] : key) {
        key_columns.push_back(name);
        table.find_column(name)->primary_key = true;
    }
    // A table has one primary key, whichever columns the text lists.
    std::string name = name_of(ddl.claim(Kind::primary_key, [](const auto&) { return true; }));
    if (key_columns.size() > 1 || (!key_columns.empty() && !name.empty())) {
        table.primary_key = schema::PrimaryKey{name, key_columns, where};
    }
}

// The index's columns in index order; an expression, which has no column,
// as CREATE INDEX writes it.
Names index_columns(SQLite::Database& db, const std::string& index) {
    SQLite::Statement q(db, "SELECT name FROM pragma_index_info(?) ORDER BY seqno");
    q.bind(1, index);
    Names out;
    std::vector<std::size_t> expressions;
    while (q.executeStep()) {
        if (q.getColumn(0).isNull()) {
            expressions.push_back(out.size());
        }
        out.push_back(q.getColumn(0).getString());
    }
    if (!expressions.empty()) {
        SQLite::Statement sql(db,
                              "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?");
        sql.bind(1, index);
        Names terms = sql.executeStep() ? parse_index_terms(sql.getColumn(0).getString()) : Names{};
        for (std::size_t i : expressions) {
            out[i] = i < terms.size() ? terms[i] : "";
        }
    }
    return out;
}

// The name of the unique constraint on `columns`. SQLite makes one index of
// constraints that list the same columns in the same order, so all of those
// are this one, and any name it was given counts.
std::string unique_name(DdlNames& ddl, const Names& columns) {
    std::string name;
    bool found = false;
    while (const DdlConstraint* c = ddl.claim(
               Kind::unique, [&](const auto& u) { return same_names(u.columns, columns); })) {
        found = true;
        name = name.empty() ? c->name : name;
    }
    if (!found) {
        name = name_of(ddl.claim(Kind::unique,
                                 [&](const auto& u) { return same_name_set(u.columns, columns); }));
    }
    return name;
}

void read_indexes(SQLite::Database& db, schema::Table& table, const schema::Location& where,
                  DdlNames& ddl) {
    // index_list puts the newest first: reversed, indexes come in the order
    // they were created and unique constraints in the order written.
    SQLite::Statement q(db, "SELECT name, \"unique\", origin FROM pragma_index_list(?) "
                            "ORDER BY seq DESC");
    q.bind(1, table.name);
    while (q.executeStep()) {
        std::string name = q.getColumn(0).getString();
        bool unique = q.getColumn(1).getInt() != 0;
        std::string origin = q.getColumn(2).getString();
        if (origin == "c") {
            table.indexes.push_back(schema::Index{name, index_columns(db, name), unique, where});
        } else if (origin == "u") {
            Names columns = index_columns(db, name);
            table.unique_constraints.push_back(
                schema::UniqueConstraint{unique_name(ddl, columns), std::move(columns), where});
        }
        // origin "pk" is the primary key's own index, already read.
    }
}

std::string action(const std::string& pragma_action) {
    return pragma_action == "NO ACTION" ? "" : pragma_action;
}

void read_foreign_keys(SQLite::Database& db, schema::Table& table, const schema::Location& where,
                       DdlNames& ddl) {
    // Ids count from the last constraint written; descending gives the
    // order of the text.
    SQLite::Statement q(db, "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete "
                            "FROM pragma_foreign_key_list(?) ORDER BY id DESC, seq");
    q.bind(1, table.name);
    std::vector<bool> refers_to_key;
    int id = -1;
    while (q.executeStep()) {
        if (table.foreign_keys.empty() || q.getColumn(0).getInt() != id) {
            id = q.getColumn(0).getInt();
            schema::ForeignKey fk;
            fk.referred_table = q.getColumn(1).getString();
            fk.on_update = action(q.getColumn(4).getString());
            fk.on_delete = action(q.getColumn(5).getString());
            fk.where = where;
            table.foreign_keys.push_back(std::move(fk));
            refers_to_key.push_back(false);
        }
        schema::ForeignKey& fk = table.foreign_keys.back();
        fk.columns.push_back(q.getColumn(2).getString());
        fk.referred_columns.push_back(q.getColumn(3).getString());
        // `REFERENCES t` without columns means t's primary key.
        refers_to_key.back() = refers_to_key.back() || q.getColumn(3).isNull();
    }
    for (std::size_t i = 0; i < table.foreign_keys.size(); ++i) {
        schema::ForeignKey& fk = table.foreign_keys[i];
        if (refers_to_key[i]) {
            Names key = primary_key_columns(db, fk.referred_table);
            fk.referred_columns = key.size() == fk.columns.size() ? key : Names(fk.columns.size());
        }
        fk.name = name_of(ddl.claim(Kind::foreign_key, [&](const auto& c) {
            return same_names(c.columns, fk.columns) &&
                   same_name(c.referred_table, fk.referred_table) &&
                   (c.referred_columns.empty() ||
                    same_names(c.referred_columns, fk.referred_columns));
        }));
    }
}

schema::Table read_table(SQLite::Database& db, const std::string& name, const std::string& sql,
                         const std::string& label) {
    schema::Location where{label, 0};
    schema::Table table;
    table.name = name;
    table.where = where;
    DdlNames ddl(parse_table_constraints(sql));
    read_columns(db, table, where, ddl);
    read_indexes(db, table, where, ddl);
    read_foreign_keys(db, table, where, ddl);
    return table;
}

}  // namespace

schema::Schema introspect(SQLite::Database& db, const std::string& label,
                          const std::string& version_table, const std::set<std::string>* only) {
    schema::Schema out;
    try {
        // In rowid order, the order tables were created (or last rebuilt).
        SQLite::Statement q(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                "ORDER BY rowid");
        std::vector<std::pair<std::string, std::string>> tables;
        while (q.executeStep()) {
            std::string name = q.getColumn(0).getString();
            if (!is_skipped(name, version_table)) {
                tables.emplace_back(std::move(name), q.getColumn(1).getString());
            }
        }
        for (const auto& [name, sql] : tables) {
            if (only != nullptr && only->count(name) == 0) {
                schema::Table bare;
                bare.name = name;
                bare.where = {label, 0};
                out.tables.push_back(std::move(bare));
                continue;
            }
            out.tables.push_back(read_table(db, name, sql, label));
        }
    } catch (const SQLite::Exception& e) {
        throw runtime_error(label + ": cannot read the database's schema: " + e.what());
    }
    return out;
}

}  // namespace migcheck::sql
