#include "migcheck/ops/reader_detail.hpp"

#include <algorithm>

namespace migcheck::ops::detail {
namespace {

using models::detail::literal_string;

// SQLAlchemy dialects whose `<dialect>_<option>` keywords Alembic passes on
// to the dialect: they tune DDL for one backend without changing the schema.
bool is_dialect_option(const std::string& name) {
    static const std::set<std::string> dialects = {
        "postgresql", "sqlite",   "mysql",       "mariadb",    "mssql",
        "oracle",     "firebird", "sybase",      "snowflake",  "redshift",
        "bigquery",   "duckdb",   "cockroachdb", "clickhouse", "trino",
    };
    std::size_t underscore = name.find('_');
    return underscore != std::string::npos && underscore + 1 < name.size() &&
           dialects.count(name.substr(0, underscore)) != 0;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::string not_literal(const Context& ctx, const Call& call, NodeId id, const std::string& param,
                        const std::string& wanted) {
    std::string subject = describe_param(param) + " of " + call.spelled();
    if (ctx.module().node(id).kind == NodeKind::fstring) {
        return subject + " is an f-string";
    }
    return subject + " is not " + wanted;
}

// "op.drop_table() without its table name".
std::string missing(const Call& call, const std::string& param) {
    return call.spelled() + " without its " + describe_param(param).substr(4);
}

}  // namespace

NodeId Bound::get(const std::string& param) const {
    auto it = args.find(param);
    return it == args.end() ? python::no_node : it->second;
}

bool bind(const Module& m, const Node& call, const Signature& sig, const std::string& spelled,
          Bound& out, std::string& why) {
    for (std::size_t i = 1; i < call.children.size(); ++i) {
        NodeId arg = call.children[i];
        if (m.node(arg).kind == NodeKind::starred) {
            why = "an unpacked argument of " + spelled;
            return false;
        }
        std::size_t index = i - 1;
        if (index < sig.params.size()) {
            out.args[sig.params[index]] = arg;
        } else if (sig.varargs) {
            out.rest.push_back(arg);
        } else {
            why = "an extra positional argument of " + spelled;
            return false;
        }
    }
    for (const python::Keyword& k : call.keywords) {
        if (k.name.empty()) {
            why = "an unpacked argument of " + spelled;
            return false;
        }
        bool known = contains(sig.params, k.name) || contains(sig.keyword_only, k.name);
        if (!known && !(sig.dialect_options && is_dialect_option(k.name))) {
            why = "an unknown keyword argument " + k.name + "= of " + spelled;
            return false;
        }
        if (!out.args.emplace(k.name, k.value).second) {
            why = "the argument " + k.name + " of " + spelled + " given twice";
            return false;
        }
    }
    return true;
}

bool is_none(const Module& m, NodeId id) {
    return id != python::no_node && m.node(id).kind == NodeKind::constant &&
           m.node(id).text == "None";
}

bool is_false(const Module& m, NodeId id) {
    return id != python::no_node && m.node(id).kind == NodeKind::constant &&
           m.node(id).text == "False";
}

std::string describe_param(const std::string& param) {
    static const std::map<std::string, std::string> names = {
        {"table_name", "the table name"},
        {"old_table_name", "the table name"},
        {"new_table_name", "the new table name"},
        {"source_table", "the source table"},
        {"referent_table", "the referent table"},
        {"column_name", "the column name"},
        {"new_column_name", "the new column name"},
        {"index_name", "the index name"},
        {"constraint_name", "the constraint name"},
        {"columns", "the columns"},
        {"column", "the column"},
        {"local_cols", "the local columns"},
        {"remote_cols", "the remote columns"},
        {"sqltext", "the SQL"},
        {"schema", "the schema"},
        {"source_schema", "the source schema"},
        {"referent_schema", "the referent schema"},
    };
    auto it = names.find(param);
    return it == names.end() ? param + "=" : it->second;
}

std::optional<std::string> name_arg(const Context& ctx, const Call& call, NodeId id,
                                    const std::string& param, bool allow_none, std::string& why) {
    const Module& m = ctx.module();
    if (allow_none && (id == python::no_node || is_none(m, id))) {
        return std::string();
    }
    if (id == python::no_node) {
        why = missing(call, param);
        return std::nullopt;
    }
    if (auto s = literal_string(m, id)) {
        return s;
    }
    why = not_literal(ctx, call, id, param, "a string literal");
    return std::nullopt;
}

std::optional<std::vector<std::string>> columns_arg(const Context& ctx, const Call& call, NodeId id,
                                                    const std::string& param, bool expressions,
                                                    std::string& why) {
    const Module& m = ctx.module();
    if (id == python::no_node) {
        why = missing(call, param);
        return std::nullopt;
    }
    const Node& list = m.node(id);
    if (list.kind != NodeKind::list && list.kind != NodeKind::tuple) {
        why = describe_param(param) + " of " + call.spelled() + " are not a list";
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (NodeId e : list.children) {
        if (auto s = literal_string(m, e)) {
            out.push_back(*s);
            continue;
        }
        const Node& n = m.node(e);
        if (expressions && n.kind == NodeKind::call && n.children.size() == 2 &&
            n.keywords.empty() && ctx.reader.sa_symbol(ctx.mod(), n.children[0]) == "text") {
            if (auto s = literal_string(m, n.children[1])) {
                out.push_back("(" + *s + ")");
                continue;
            }
        }
        why = describe_param(param) + " of " + call.spelled() + " hold `" +
              models::detail::describe_expr(m, e) + "`, which is not " +
              (expressions ? "a column name or text()" : "a column name");
        return std::nullopt;
    }
    return out;
}

std::optional<bool> bool_arg(const Context& ctx, const Call& call, NodeId id,
                             const std::string& param, std::string& why) {
    const Module& m = ctx.module();
    if (id == python::no_node || is_none(m, id)) {
        return std::nullopt;
    }
    auto value = models::detail::literal_bool(m, id);
    if (!value) {
        why = describe_param(param) + " of " + call.spelled() + " is not True or False";
    }
    return value;
}

bool check_no_schema(const Context& ctx, const Call& call, NodeId id, const std::string& param,
                     std::string& why) {
    if (id == python::no_node || is_none(ctx.module(), id)) {
        return true;
    }
    why = describe_param(param) + " of " + call.spelled() + " is not None";
    return false;
}

std::optional<std::string> sql_arg(const Context& ctx, const Call& call, NodeId id,
                                   const std::string& param, std::string& why) {
    const Module& m = ctx.module();
    if (id == python::no_node) {
        why = missing(call, param);
        return std::nullopt;
    }
    if (auto s = literal_string(m, id)) {
        return s;
    }
    const Node& n = m.node(id);
    if (n.kind == NodeKind::call && n.children.size() == 2 && n.keywords.empty() &&
        ctx.reader.sa_symbol(ctx.mod(), n.children[0]) == "text") {
        if (auto s = literal_string(m, n.children[1])) {
            return s;
        }
        if (m.node(n.children[1]).kind == NodeKind::fstring) {
            why = describe_param(param) + " of " + call.spelled() + " is an f-string";
            return std::nullopt;
        }
    }
    why = not_literal(ctx, call, id, param, "a string literal or text()");
    return std::nullopt;
}

std::optional<std::string> table_arg(const Context& ctx, const Call& call, const Bound& args,
                                     const std::string& param, std::string& why) {
    if (call.batch) {
        return call.batch_table;
    }
    return name_arg(ctx, call, args.get(param), param, false, why);
}

void unwrap_name_marks(Context& ctx, const std::set<std::string>& owners) {
    Module& m = *ctx.reader.modules.front().module;
    for (Node& n : m.nodes) {
        if (n.kind != NodeKind::call || n.children.size() != 2 || !n.keywords.empty()) {
            continue;
        }
        std::string callee = python::dotted_name(m, n.children[0]);
        std::size_t dot = callee.rfind('.');
        auto name = models::detail::literal_string(m, n.children[1]);
        if (dot == std::string::npos || callee.substr(dot + 1) != "f" ||
            owners.count(callee.substr(0, dot)) == 0 || !name) {
            continue;
        }
        n.kind = NodeKind::string;
        n.text = *name;
        n.children.clear();
    }
}

}  // namespace migcheck::ops::detail
