#include "migcheck/db/version_table.hpp"

#include "migcheck/util/error.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <algorithm>

namespace migcheck::db {
namespace {

std::string literal(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') {
            out += '\'';
        }
    }
    return out + "'";
}

}  // namespace

std::string version_table_sql(const std::string& name) {
    return "CREATE TABLE " + name + " (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT " +
           name + "_pkc PRIMARY KEY (version_num)\n)";
}

std::string version_change_sql(const std::string& name, const migrate::RowChange& change) {
    using Kind = migrate::RowChange::Kind;
    switch (change.kind) {
    case Kind::insert:
        return "INSERT INTO " + name + " (version_num) VALUES (" + literal(change.to) + ")";
    case Kind::remove:
        return "DELETE FROM " + name + " WHERE " + name + ".version_num = " + literal(change.from);
    case Kind::update:
        break;
    }
    return "UPDATE " + name + " SET version_num=" + literal(change.to) + " WHERE " + name +
           ".version_num = " + literal(change.from);
}

bool VersionTable::exists() const {
    if (m_seen) {
        return true;
    }
    SQLite::Statement q(m_db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    q.bind(1, m_name);
    m_seen = q.executeStep();
    return m_seen;
}

std::vector<std::string> VersionTable::rows() const {
    std::vector<std::string> out;
    if (!exists()) {
        return out;
    }
    SQLite::Statement q(m_db, "SELECT version_num FROM " + m_name);
    while (q.executeStep()) {
        out.push_back(q.getColumn(0).getString());
    }
    std::sort(out.begin(), out.end());
    return out;
}

void VersionTable::ensure() {
    if (!exists()) {
        m_db.exec(version_table_sql(m_name));
        m_seen = true;
    }
}

void VersionTable::apply(const migrate::RowChange& change) {
    int changed = m_db.exec(version_change_sql(m_name, change));
    if (change.kind == migrate::RowChange::Kind::insert || changed == 1) {
        return;
    }
    if (change.kind == migrate::RowChange::Kind::remove) {
        throw runtime_error("expected to match one row when deleting '" + change.from + "' in '" +
                            m_name + "'; " + std::to_string(changed) + " found");
    }
    throw runtime_error("expected to match one row when updating '" + change.from + "' to '" +
                        change.to + "' in '" + m_name + "'; " + std::to_string(changed) +
                        " found");
}

void VersionTable::replace(const std::vector<std::string>& rows) {
    SQLite::Transaction tx(m_db, SQLite::TransactionBehavior::IMMEDIATE);
    ensure();
    m_db.exec("DELETE FROM " + m_name);
    for (const auto& row : rows) {
        apply({migrate::RowChange::Kind::insert, "", row});
    }
    tx.commit();
}

}  // namespace migcheck::db
