#include "migcheck/ops/reader_detail.hpp"

namespace migcheck::ops::detail {
namespace {

// Alembic 1.8's signatures of the `op.X` operations migcheck reads. Keyword
// names of **kw that are known but do not change the schema are accepted:
// deferrable=, initially=, match=, execution_options=.
const std::map<std::string, Signature>& op_signatures() {
    static const std::map<std::string, Signature> sigs = {
        {"create_table", {{"table_name"}, {"comment", "schema"}, true, true}},
        {"drop_table", {{"table_name", "schema"}, {}, false, true}},
        {"rename_table", {{"old_table_name", "new_table_name", "schema"}, {}, false, false}},
        {"add_column", {{"table_name", "column", "schema"}, {}, false, false}},
        {"drop_column", {{"table_name", "column_name", "schema"}, {}, false, true}},
        {"alter_column",
         {{"table_name", "column_name", "nullable", "comment", "server_default", "new_column_name",
           "type_", "existing_type", "existing_server_default", "existing_nullable",
           "existing_comment", "schema"},
          {"autoincrement", "existing_autoincrement"},
          false,
          true}},
        {"create_index",
         {{"index_name", "table_name", "columns", "schema", "unique"}, {}, false, true}},
        {"drop_index", {{"index_name", "table_name", "schema"}, {}, false, true}},
        {"create_unique_constraint",
         {{"constraint_name", "table_name", "columns", "schema"},
          {"deferrable", "initially"},
          false,
          true}},
        {"create_foreign_key",
         {{"constraint_name", "source_table", "referent_table", "local_cols", "remote_cols",
           "onupdate", "ondelete", "deferrable", "initially", "match", "source_schema",
           "referent_schema"},
          {},
          false,
          true}},
        {"create_primary_key",
         {{"constraint_name", "table_name", "columns", "schema"}, {}, false, false}},
        {"drop_constraint",
         {{"constraint_name", "table_name", "type_", "schema"}, {}, false, false}},
        {"execute", {{"sqltext", "execution_options"}, {}, false, false}},
    };
    return sigs;
}

// The same operations on `batch_op`: the table is the block's, so its
// parameter is gone; insert_before= and insert_after= only order columns.
const std::map<std::string, Signature>& batch_signatures() {
    static const std::map<std::string, Signature> sigs = {
        {"add_column", {{"column", "insert_before", "insert_after"}, {}, false, false}},
        {"drop_column", {{"column_name"}, {}, false, true}},
        {"alter_column",
         {{"column_name", "nullable", "comment", "server_default", "new_column_name", "type_",
           "existing_type", "existing_server_default", "existing_nullable", "existing_comment",
           "insert_before", "insert_after"},
          {"autoincrement", "existing_autoincrement"},
          false,
          true}},
        {"create_index", {{"index_name", "columns"}, {"unique"}, false, true}},
        {"drop_index", {{"index_name"}, {}, false, true}},
        {"create_unique_constraint",
         {{"constraint_name", "columns"}, {"deferrable", "initially"}, false, true}},
        {"create_foreign_key",
         {{"constraint_name", "referent_table", "local_cols", "remote_cols", "referent_schema",
           "onupdate", "ondelete", "deferrable", "initially", "match"},
          {},
          false,
          true}},
        {"create_primary_key", {{"constraint_name", "columns"}, {}, false, false}},
        {"drop_constraint", {{"constraint_name", "type_"}, {}, false, false}},
        {"execute", {{"sqltext", "execution_options"}, {}, false, false}},
    };
    return sigs;
}

schema::Location where_of(const Context& ctx, const Call& call) {
    return {ctx.path, ctx.module().node(call.id).line};
}

std::optional<Change> read_drop_table(Context& ctx, const Call& call, const Bound& b,
                                      std::string& why) {
    auto table = table_arg(ctx, call, b, "table_name", why);
    if (!table || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    return DropTable{*table};
}

std::optional<Change> read_rename_table(Context& ctx, const Call& call, const Bound& b,
                                        std::string& why) {
    auto table = table_arg(ctx, call, b, "old_table_name", why);
    std::optional<std::string> new_name;
    if (table) {
        new_name = name_arg(ctx, call, b.get("new_table_name"), "new_table_name", false, why);
    }
    if (!new_name || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    return RenameTable{*table, *new_name};
}

std::optional<Change> read_drop_column(Context& ctx, const Call& call, const Bound& b,
                                       std::string& why) {
    auto table = table_arg(ctx, call, b, "table_name", why);
    std::optional<std::string> column;
    if (table) {
        column = name_arg(ctx, call, b.get("column_name"), "column_name", false, why);
    }
    if (!column || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    return DropColumn{*table, *column};
}

std::optional<Change> read_create_index(Context& ctx, const Call& call, const Bound& b,
                                        std::string& why) {
    auto name = name_arg(ctx, call, b.get("index_name"), "index_name", true, why);
    auto table = name ? table_arg(ctx, call, b, "table_name", why) : std::nullopt;
    if (!table) {
        return std::nullopt;
    }
    auto columns = columns_arg(ctx, call, b.get("columns"), "columns", true, why);
    if (!columns || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    auto unique = bool_arg(ctx, call, b.get("unique"), "unique", why);
    if (!why.empty()) {
        return std::nullopt;
    }
    schema::Index index{*name, std::move(*columns), unique.value_or(false), where_of(ctx, call)};
    return CreateIndex{*table, std::move(index)};
}

std::optional<Change> read_drop_index(Context& ctx, const Call& call, const Bound& b,
                                      std::string& why) {
    auto name = name_arg(ctx, call, b.get("index_name"), "index_name", true, why);
    // The table is optional: Alembic drops an index by its name alone.
    auto table = !name        ? std::nullopt
                 : call.batch ? std::optional<std::string>(call.batch_table)
                              : name_arg(ctx, call, b.get("table_name"), "table_name", true, why);
    if (!table || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    return DropIndex{*table, *name};
}

std::optional<Change> read_unique_or_primary(Context& ctx, const Call& call, const Bound& b,
                                             std::string& why) {
    auto name = name_arg(ctx, call, b.get("constraint_name"), "constraint_name", true, why);
    auto table = name ? table_arg(ctx, call, b, "table_name", why) : std::nullopt;
    if (!table) {
        return std::nullopt;
    }
    auto columns = columns_arg(ctx, call, b.get("columns"), "columns", false, why);
    if (!columns || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    if (call.method == "create_primary_key") {
        return CreatePrimaryKey{*table, {*name, std::move(*columns), where_of(ctx, call)}};
    }
    return CreateUniqueConstraint{*table, {*name, std::move(*columns), where_of(ctx, call)}};
}

std::optional<Change> read_create_foreign_key(Context& ctx, const Call& call, const Bound& b,
                                              std::string& why) {
    schema::ForeignKey fk;
    fk.where = where_of(ctx, call);
    auto name = name_arg(ctx, call, b.get("constraint_name"), "constraint_name", true, why);
    auto table = name ? table_arg(ctx, call, b, "source_table", why) : std::nullopt;
    auto referent = table
                        ? name_arg(ctx, call, b.get("referent_table"), "referent_table", false, why)
                        : std::nullopt;
    auto local = referent ? columns_arg(ctx, call, b.get("local_cols"), "local_cols", false, why)
                          : std::nullopt;
    auto remote = local ? columns_arg(ctx, call, b.get("remote_cols"), "remote_cols", false, why)
                        : std::nullopt;
    if (!remote) {
        return std::nullopt;
    }
    for (const char* param : {"source_schema", "referent_schema"}) {
        if (!check_no_schema(ctx, call, b.get(param), param, why)) {
            return std::nullopt;
        }
    }
    for (const char* param : {"ondelete", "onupdate"}) {
        auto action = name_arg(ctx, call, b.get(param), param, true, why);
        if (!action) {
            return std::nullopt;
        }
        (std::string(param) == "ondelete" ? fk.on_delete : fk.on_update) = *action;
    }
    if (local->size() != remote->size()) {
        why = "the local and remote columns of " + call.spelled() + " differ in number";
        return std::nullopt;
    }
    fk.name = *name;
    fk.columns = std::move(*local);
    fk.referred_table = *referent;
    fk.referred_columns = std::move(*remote);
    return CreateForeignKey{*table, std::move(fk)};
}

std::optional<Change> read_drop_constraint(Context& ctx, const Call& call, const Bound& b,
                                           std::string& why) {
    auto name = name_arg(ctx, call, b.get("constraint_name"), "constraint_name", true, why);
    auto table = name ? table_arg(ctx, call, b, "table_name", why) : std::nullopt;
    auto type = table ? name_arg(ctx, call, b.get("type_"), "type_", true, why) : std::nullopt;
    if (!type || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    return DropConstraint{*table, *name, *type};
}

std::optional<Change> read_execute(Context& ctx, const Call& call, const Bound& b,
                                   std::string& why) {
    auto sql = sql_arg(ctx, call, b.get("sqltext"), "sqltext", why);
    if (!sql) {
        return std::nullopt;
    }
    return Execute{*sql};
}

}  // namespace

CallResult read_call(Context& ctx, const Call& call) {
    const auto& sigs = call.batch ? batch_signatures() : op_signatures();
    auto sig = sigs.find(call.method);
    if (sig == sigs.end()) {
        return {std::nullopt, call.spelled()};
    }
    CallResult out;
    Bound bound;
    if (!bind(ctx.module(), ctx.module().node(call.id), sig->second, call.spelled(), bound,
              out.why)) {
        return out;
    }
    using ReadFn = std::optional<Change> (*)(Context&, const Call&, const Bound&, std::string&);
    static const std::map<std::string, ReadFn> readers = {
        {"create_table", read_create_table},
        {"drop_table", read_drop_table},
        {"rename_table", read_rename_table},
        {"add_column", read_add_column},
        {"drop_column", read_drop_column},
        {"alter_column", read_alter_column},
        {"create_index", read_create_index},
        {"drop_index", read_drop_index},
        {"create_unique_constraint", read_unique_or_primary},
        {"create_foreign_key", read_create_foreign_key},
        {"create_primary_key", read_unique_or_primary},
        {"drop_constraint", read_drop_constraint},
        {"execute", read_execute},
    };
    out.change = readers.at(call.method)(ctx, call, bound, out.why);
    if (out.change) {
        out.why.clear();
    }
    return out;
}

}  // namespace migcheck::ops::detail
