// Operations rendered to the statements Alembic 1.8 runs on SQLite through
// SQLAlchemy 1.4. Where the two differ from a literal reading of the call,
// migcheck follows what they run:
// - a column rename is "ALTER TABLE t RENAME a TO b" (Alembic leaves out
//   COLUMN; SQLite accepts both);
// - inside batch_alter_table, every operation but add_column, create_index
//   and drop_index rebuilds the table (SQLiteImpl.requires_recreate_in_batch),
//   and so does add_column with a SQL expression as server default;
// - outside batch mode, what Alembic cannot do on SQLite (alter a column's
//   type, nullability or default, add or drop a constraint) is rebuilt as
//   batch mode would (decisions.md: scratch replay is about the schema);
//   a change SQLite does not keep (a comment, autoincrement) renders nothing;
// - a function call as server default ("now()") is written in parentheses,
//   as SQLAlchemy writes func.*() defaults; SQLite refuses it bare;
// - add_column of a column that is unique (without index) or part of the key
//   is rebuilt, since ALTER TABLE ... ADD COLUMN cannot add either, and a
//   column-level foreign key goes into the ADD COLUMN as REFERENCES.
#include "migcheck/sql/sqlite_render.hpp"

#include "migcheck/ops/apply.hpp"
#include "migcheck/sql/sqlite_ddl.hpp"
#include "migcheck/sql/types.hpp"
#include "migcheck/util/error.hpp"

#include <algorithm>
#include <cctype>

namespace migcheck::sql {
namespace {

using Statements = std::vector<std::string>;

// SQLAlchemy's _type_affinity of the type, which decides whether Alembic's
// batch copy casts a column whose type changes (SQLiteImpl.
// cast_for_batch_migrate). The existing column is the one Alembic reflects
// from SQLite, so its uuid is a CHAR, a String; the new type is the one the
// migration names, where Uuid has an affinity of its own.
std::string affinity(const schema::Type& type, bool reflected) {
    using schema::TypeKind;
    if (!type.declared.empty()) {
        // SQLite's own affinity rules, as SQLAlchemy resolves an unknown
        // declared type.
        std::string upper;
        for (char c : type.declared) {
            upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        if (upper.find("INT") != std::string::npos) {
            return "Integer";
        }
        if (upper.find("CHAR") != std::string::npos || upper.find("CLOB") != std::string::npos ||
            upper.find("TEXT") != std::string::npos) {
            return "String";
        }
        if (upper.find("BLOB") != std::string::npos) {
            return "Null";
        }
        return "Numeric";
    }
    switch (type.kind) {
    case TypeKind::integer:
    case TypeKind::biginteger:
    case TypeKind::smallinteger:
        return "Integer";
    case TypeKind::string:
    case TypeKind::text:
    case TypeKind::enum_:
        return "String";
    case TypeKind::uuid:
        return reflected ? "String" : "Uuid";
    case TypeKind::float_:
    case TypeKind::numeric:
        return "Numeric";
    default:
        return schema::type_kind_name(type.kind);
    }
}

bool is_json(const schema::Type& type) {
    return type.declared.empty() && type.kind == schema::TypeKind::json;
}

// Alembic's ApplyBatchImpl._calc_temp_name.
std::string temp_name(const std::string& table) {
    return ("_alembic_tmp_" + table).substr(0, 50);
}

bool mentions(const std::vector<std::string>& columns, const std::string& column) {
    return std::find(columns.begin(), columns.end(), column) != columns.end();
}

// Whether SQLite's ALTER TABLE ... DROP COLUMN refuses the column: it is in
// the key, an index, a unique constraint or a foreign key.
bool constrained(const schema::Table& table, const std::string& column) {
    const auto indexes = table.all_indexes();
    const auto uniques = table.all_unique_constraints();
    const auto foreign_keys = table.all_foreign_keys();
    return table.in_primary_key(column) ||
           std::any_of(indexes.begin(), indexes.end(),
                       [&](const auto& i) { return mentions(i.columns, column); }) ||
           std::any_of(uniques.begin(), uniques.end(),
                       [&](const auto& u) { return mentions(u.columns, column); }) ||
           std::any_of(foreign_keys.begin(), foreign_keys.end(),
                       [&](const auto& f) { return mentions(f.columns, column); });
}

class Render {
  public:
    Render(const schema::Schema& before, const schema::Schema& after, const ops::Operation& op)
        : m_before(before), m_after(after), m_op(op) {}

    Statements operator()(const ops::CreateTable& c) const {
        Statements out = {create_table_sql(c.table)};
        for (const auto& index : c.table.all_indexes()) {
            out.push_back(create_index_sql(c.table.name, index));
        }
        return out;
    }

    Statements operator()(const ops::DropTable& c) const {
        return {"DROP TABLE " + quote_identifier(c.table)};
    }

    Statements operator()(const ops::RenameTable& c) const {
        return {"ALTER TABLE " + quote_identifier(c.table) + " RENAME TO " +
                quote_identifier(c.new_name)};
    }

    Statements operator()(const ops::AddColumn& c) const {
        const schema::Column& column = c.column;
        const bool expression_default =
            column.server_default && !column.server_default->starts_with("'");
        if ((column.unique && !column.index) || column.primary_key ||
            (m_op.batch && expression_default)) {
            return rebuild(c.table, nullptr);
        }
        std::string add =
            "ALTER TABLE " + quote_identifier(c.table) + " ADD COLUMN " + column_definition(column);
        if (column.foreign_key) {
            add += " " + references_clause(*column.foreign_key);
        }
        Statements out = {add};
        if (column.index) {
            out.push_back(
                create_index_sql(c.table, {schema::implicit_index_name(c.table, column.name),
                                           {column.name},
                                           column.unique,
                                           column.where}));
        }
        return out;
    }

    Statements operator()(const ops::DropColumn& c) const {
        if (m_op.batch || constrained(*m_before.find_table(c.table), c.column)) {
            return rebuild(c.table, nullptr);
        }
        return {"ALTER TABLE " + quote_identifier(c.table) + " DROP COLUMN " +
                quote_identifier(c.column)};
    }

    Statements operator()(const ops::AlterColumn& c) const {
        if (m_op.batch || c.nullable || c.type || c.server_default) {
            return rebuild(c.table, &c);
        }
        if (c.new_name && *c.new_name != c.column) {
            return {"ALTER TABLE " + quote_identifier(c.table) + " RENAME " +
                    quote_identifier(c.column) + " TO " + quote_identifier(*c.new_name)};
        }
        return {};
    }

    Statements operator()(const ops::CreateIndex& c) const {
        return {create_index_sql(c.table, c.index)};
    }

    Statements operator()(const ops::DropIndex& c) const {
        return {"DROP INDEX " + quote_identifier(c.name)};
    }

    Statements operator()(const ops::CreateUniqueConstraint& c) const {
        return rebuild(c.table, nullptr);
    }

    Statements operator()(const ops::CreateForeignKey& c) const {
        return rebuild(c.table, nullptr);
    }

    Statements operator()(const ops::CreatePrimaryKey& c) const {
        return rebuild(c.table, nullptr);
    }

    Statements operator()(const ops::DropConstraint& c) const {
        // CHECK constraints are not modelled: a rebuild could not keep the
        // others, so it is left to the database as it is.
        if (c.type == "check") {
            return {};
        }
        return rebuild(c.table, nullptr);
    }

    Statements operator()(const ops::Execute& c) const { return {c.sql}; }

  private:
    // ApplyBatchImpl._create: the new definition under a temporary name, the
    // surviving rows copied over, the old table dropped, the new one renamed
    // into its place and its indexes created again.
    Statements rebuild(const std::string& name, const ops::AlterColumn* alter) const {
        const schema::Table& old_table = *m_before.find_table(name);
        const schema::Table& new_table = *m_after.find_table(name);
        schema::Table temp = new_table;
        temp.name = temp_name(name);
        const std::string table = quote_identifier(name);
        Statements out = {create_table_sql(temp)};

        std::string targets;
        std::string sources;
        for (const auto& column : new_table.columns) {
            std::string source = column.name;
            const bool altered =
                alter != nullptr && column.name == alter->new_name.value_or(alter->column);
            if (altered) {
                source = alter->column;
            }
            const schema::Column* old_column = old_table.find_column(source);
            if (old_column == nullptr) {
                continue;  // added by this operation: nothing to copy
            }
            std::string expr = table + "." + quote_identifier(source);
            if (altered && alter->type && !is_json(*alter->type) &&
                affinity(old_column->type, true) != affinity(*alter->type, false)) {
                expr = "CAST(" + expr + " AS " + sqlite_type(*alter->type) + ") AS " +
                       quote_identifier(source);
            }
            targets += (targets.empty() ? "" : ", ") + quote_identifier(column.name);
            sources += (sources.empty() ? "" : ", ") + expr;
        }
        if (!targets.empty()) {
            out.push_back("INSERT INTO " + quote_identifier(temp.name) + " (" + targets +
                          ") SELECT " + sources + " \nFROM " + table);
        }
        out.push_back("DROP TABLE " + table);
        out.push_back("ALTER TABLE " + quote_identifier(temp.name) + " RENAME TO " + table);
        for (const auto& index : new_table.all_indexes()) {
            out.push_back(create_index_sql(name, index));
        }
        return out;
    }

    const schema::Schema& m_before;
    const schema::Schema& m_after;
    const ops::Operation& m_op;
};

}  // namespace

std::vector<std::string> render_sqlite(const schema::Schema& before, const ops::Operation& op) {
    schema::Schema after = before;
    std::vector<Finding> findings;
    ops::apply(after, op, findings);
    // The message alone: every caller reports the operation's place beside it.
    for (const auto& finding : findings) {
        if (finding.severity == Severity::error) {
            throw runtime_error(finding.message);
        }
    }
    return std::visit(Render(before, after, op), op.change);
}

std::vector<std::string> render_sqlite_applied(const schema::Schema& before,
                                               const schema::Schema& after,
                                               const ops::Operation& op) {
    return std::visit(Render(before, after, op), op.change);
}

}  // namespace migcheck::sql
