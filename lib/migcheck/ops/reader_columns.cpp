#include "migcheck/ops/reader_detail.hpp"

namespace migcheck::ops::detail {
namespace {

namespace md = models::detail;

// The models reader words its warnings for a models file, where a table or
// column it cannot read is left unchecked. An operation is either read or
// not interpretable, so that advice is left out of the reason.
std::string without_advice(std::string message) {
    for (std::string advice :
         {"; the column is not checked", "; the table's constraints are not checked",
          "; the table is not checked", "; the first one is kept"}) {
        if (message.size() >= advice.size() &&
            message.compare(message.size() - advice.size(), advice.size(), advice) == 0) {
            message.resize(message.size() - advice.size());
        }
    }
    return message;
}

// Whether the models reader warned since `before`; its first warning is
// then the reason, and the reader is left as it was.
bool warned(Context& ctx, std::size_t before, std::string& why) {
    auto& findings = ctx.reader.result.findings;
    if (findings.size() <= before) {
        return false;
    }
    why = without_advice(findings[before].message);
    findings.resize(before);
    ctx.reader.result.unchecked.clear();
    return true;
}

// Adds a Column(...) argument to the table as the models reader would.
bool add_column_arg(Context& ctx, schema::Table& table, NodeId arg, std::string& why) {
    md::ColumnDecl decl = md::read_column(ctx.reader, ctx.mod(), arg, "", python::no_node);
    if (decl.type_from_fk) {
        // SQLAlchemy would take the type of the column its ForeignKey names,
        // which only the replay knows.
        decl.problems.push_back("it has no type of its own");
    }
    std::size_t before = ctx.reader.result.findings.size();
    md::add_column(ctx.reader, ctx.mod(), table, std::move(decl), ctx.module().node(arg).line);
    return !warned(ctx, before, why);
}

// server_default= and existing_server_default=: False (Alembic's default)
// is "not given", None is "no default".
bool server_default_arg(Context& ctx, const Call& call, NodeId id, const std::string& param,
                        std::optional<std::optional<std::string>>& out, std::string& why) {
    const Module& m = ctx.module();
    if (id == python::no_node || is_false(m, id)) {
        return true;
    }
    if (is_none(m, id)) {
        out.emplace(std::nullopt);
        return true;
    }
    std::string problem;
    std::optional<std::string> sql = md::server_default_sql(ctx.reader, ctx.mod(), id, problem);
    if (!problem.empty()) {
        why = param + "= of " + call.spelled() + ": " + problem;
        return false;
    }
    out.emplace(std::move(sql));
    return true;
}

bool type_arg(Context& ctx, const Call& call, NodeId id, const std::string& param,
              std::optional<schema::Type>& out, std::string& why) {
    if (id == python::no_node || is_none(ctx.module(), id)) {
        return true;
    }
    std::string problem;
    out = md::read_type(ctx.reader, ctx.mod(), id, problem);
    if (!out) {
        why = param + "= of " + call.spelled() + ": " + problem;
        return false;
    }
    return true;
}

}  // namespace

std::optional<Change> read_create_table(Context& ctx, const Call& call, const Bound& b,
                                        std::string& why) {
    const Module& m = ctx.module();
    auto name = table_arg(ctx, call, b, "table_name", why);
    if (!name || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    schema::Table table;
    table.name = *name;
    table.where = {ctx.path, m.node(call.id).line};
    // The models reader remembers which columns had nullable= given, for a
    // PrimaryKeyConstraint to make the others NOT NULL; only this table's count.
    ctx.reader.nullable_given.clear();
    ctx.reader.type_from_fk.clear();
    // Columns first, as Table() attaches constraints to columns by name.
    std::vector<NodeId> items;
    for (NodeId arg : b.rest) {
        if (md::is_column_call(ctx.reader, ctx.mod(), arg)) {
            if (!add_column_arg(ctx, table, arg, why)) {
                return std::nullopt;
            }
        } else {
            items.push_back(arg);
        }
    }
    for (NodeId item : items) {
        std::size_t before = ctx.reader.result.findings.size();
        md::apply_table_item(ctx.reader, ctx.mod(), table, item);
        if (warned(ctx, before, why)) {
            return std::nullopt;
        }
    }
    auto comment = name_arg(ctx, call, b.get("comment"), "comment", true, why);
    if (!comment) {
        return std::nullopt;
    }
    table.comment = *comment;
    return CreateTable{std::move(table)};
}

std::optional<Change> read_add_column(Context& ctx, const Call& call, const Bound& b,
                                      std::string& why) {
    auto table = table_arg(ctx, call, b, "table_name", why);
    if (!table || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    NodeId column = b.get("column");
    if (column == python::no_node) {
        why = call.spelled() + " without its column";
        return std::nullopt;
    }
    if (!md::is_column_call(ctx.reader, ctx.mod(), column)) {
        why = "the column of " + call.spelled() + " is not a Column() call";
        return std::nullopt;
    }
    schema::Table scratch;
    scratch.name = *table;
    if (!add_column_arg(ctx, scratch, column, why)) {
        return std::nullopt;
    }
    return AddColumn{*table, std::move(scratch.columns.front())};
}

std::optional<Change> read_alter_column(Context& ctx, const Call& call, const Bound& b,
                                        std::string& why) {
    const Module& m = ctx.module();
    auto table = table_arg(ctx, call, b, "table_name", why);
    auto column =
        table ? name_arg(ctx, call, b.get("column_name"), "column_name", false, why) : std::nullopt;
    if (!column || !check_no_schema(ctx, call, b.get("schema"), "schema", why)) {
        return std::nullopt;
    }
    AlterColumn a;
    a.table = *table;
    a.column = *column;
    a.nullable = bool_arg(ctx, call, b.get("nullable"), "nullable", why);
    if (why.empty()) {
        a.autoincrement = bool_arg(ctx, call, b.get("autoincrement"), "autoincrement", why);
    }
    if (!why.empty()) {
        return std::nullopt;
    }
    NodeId comment = b.get("comment");
    if (comment != python::no_node && !is_false(m, comment)) {
        auto text = name_arg(ctx, call, comment, "comment", true, why);
        if (!text) {
            return std::nullopt;
        }
        a.comment.emplace(is_none(m, comment) ? std::nullopt : std::optional<std::string>(*text));
    }
    NodeId new_name = b.get("new_column_name");
    if (new_name != python::no_node && !is_none(m, new_name)) {
        a.new_name = name_arg(ctx, call, new_name, "new_column_name", false, why);
        if (!a.new_name) {
            return std::nullopt;
        }
    }
    if (!server_default_arg(ctx, call, b.get("server_default"), "server_default", a.server_default,
                            why) ||
        !type_arg(ctx, call, b.get("type_"), "type_", a.type, why)) {
        return std::nullopt;
    }
    // The existing_* arguments only describe the column as it is; one
    // migcheck cannot read changes nothing, so it is left unset.
    std::string ignored;
    if (!type_arg(ctx, call, b.get("existing_type"), "existing_type", a.existing_type, ignored)) {
        a.existing_type.reset();
    }
    a.existing_nullable = models::detail::literal_bool(m, b.get("existing_nullable"));
    if (!server_default_arg(ctx, call, b.get("existing_server_default"), "existing_server_default",
                            a.existing_server_default, ignored)) {
        a.existing_server_default.reset();
    }
    return a;
}

}  // namespace migcheck::ops::detail
