#include "migcheck/generate/python.hpp"

#include <cstdio>
#include <type_traits>

namespace migcheck::generate {
namespace {

using schema::TypeKind;

std::string list_repr(const std::vector<std::string>& items) {
    std::string out = "[";
    for (const auto& item : items) {
        out += (out.size() == 1 ? "" : ", ") + python_repr(item);
    }
    return out + "]";
}

std::string args_repr(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + python_repr(item);
    }
    return out;
}

std::string bool_repr(bool b) { return b ? "True" : "False"; }

std::string default_repr(const std::optional<std::string>& sql) {
    return sql ? "sa.text(" + python_repr(*sql) + ")" : "None";
}

struct Renderer {
    Dialect dialect;
    std::set<std::string>& imports;

    std::string type(const schema::Type& t) {
        if (t.kind == TypeKind::uuid && dialect == Dialect::postgresql) {
            imports.insert("from sqlalchemy.dialects import postgresql");
        }
        return python_type(t, dialect);
    }

    std::string column(const schema::Column& c, bool nullable) {
        std::string out = "sa.Column(" + python_repr(c.name) + ", " + type(c.type);
        if (c.autoincrement) {
            out += ", autoincrement=" + bool_repr(*c.autoincrement);
        }
        if (c.server_default) {
            out += ", server_default=" + default_repr(c.server_default);
        }
        out += ", nullable=" + bool_repr(nullable);
        if (!c.comment.empty()) {
            out += ", comment=" + python_repr(c.comment);
        }
        return out + ")";
    }

    std::string fk_actions(const schema::ForeignKey& fk) {
        std::string out;
        if (!fk.on_delete.empty()) {
            out += ", ondelete=" + python_repr(fk.on_delete);
        }
        if (!fk.on_update.empty()) {
            out += ", onupdate=" + python_repr(fk.on_update);
        }
        return out;
    }

    std::string name_kw(const std::string& name) {
        return name.empty() ? std::string() : ", name=" + python_repr(name);
    }

    void create_table(const schema::Table& t, std::vector<std::string>& lines) {
        lines.push_back("op.create_table(" + python_repr(t.name) + ",");
        std::vector<std::string> items;
        for (const auto& c : t.columns) {
            items.push_back(column(c, c.nullable && !t.in_primary_key(c.name)));
        }
        for (const auto& fk : t.all_foreign_keys()) {
            std::vector<std::string> remote;
            for (const auto& rc : fk.referred_columns) {
                remote.push_back(fk.referred_table + "." + rc);
            }
            items.push_back("sa.ForeignKeyConstraint(" + list_repr(fk.columns) + ", " +
                            list_repr(remote) + name_kw(fk.name) + fk_actions(fk) + ")");
        }
        auto pk = t.primary_key_columns();
        if (!pk.empty()) {
            items.push_back("sa.PrimaryKeyConstraint(" + args_repr(pk) +
                            name_kw(t.primary_key ? t.primary_key->name : "") + ")");
        }
        for (const auto& u : t.all_unique_constraints()) {
            items.push_back("sa.UniqueConstraint(" + args_repr(u.columns) + name_kw(u.name) + ")");
        }
        if (!t.comment.empty()) {
            items.push_back("comment=" + python_repr(t.comment));
        }
        for (std::size_t i = 0; i < items.size(); ++i) {
            lines.push_back(items[i] + (i + 1 < items.size() ? "," : ""));
        }
        lines.push_back(")");
    }

    // `head(` then each keyword argument on its own line, aligned.
    void call(const std::string& head, const std::vector<std::string>& args,
              std::vector<std::string>& lines) {
        if (args.size() <= 2) {
            std::string line = head;
            for (std::size_t i = 0; i < args.size(); ++i) {
                line += (i == 0 ? "" : ", ") + args[i];
            }
            lines.push_back(line + ")");
            return;
        }
        std::string pad(head.size(), ' ');
        lines.push_back(head + args[0] + ", " + args[1] + ",");
        for (std::size_t i = 2; i < args.size(); ++i) {
            lines.push_back(pad + args[i] + (i + 1 < args.size() ? "," : ")"));
        }
    }

    void alter_column(const ops::AlterColumn& a, const std::string& owner, bool batch,
                      std::vector<std::string>& lines) {
        std::vector<std::string> args;
        if (!batch) {
            args.push_back(python_repr(a.table));
        }
        args.push_back(python_repr(a.column));
        if (a.existing_type) {
            args.push_back("existing_type=" + type(*a.existing_type));
        }
        if (a.server_default) {
            args.push_back("server_default=" + default_repr(*a.server_default));
        }
        if (a.type) {
            args.push_back("type_=" + type(*a.type));
        }
        if (a.nullable) {
            args.push_back("nullable=" + bool_repr(*a.nullable));
        }
        if (a.comment) {
            args.push_back("comment=" + (*a.comment ? python_repr(**a.comment) : "None"));
        }
        if (!a.nullable && a.existing_nullable) {
            args.push_back("existing_nullable=" + bool_repr(*a.existing_nullable));
        }
        if (!a.server_default && a.existing_server_default && *a.existing_server_default) {
            args.push_back("existing_server_default=" + default_repr(*a.existing_server_default));
        }
        if (a.new_name) {
            args.push_back("new_column_name=" + python_repr(*a.new_name));
        }
        std::string head = owner + ".alter_column(";
        if (batch && args.size() > 1) {
            std::string pad(head.size(), ' ');
            lines.push_back(head + args[0] + ",");
            for (std::size_t i = 1; i < args.size(); ++i) {
                lines.push_back(pad + args[i] + (i + 1 < args.size() ? "," : ")"));
            }
            return;
        }
        call(head, args, lines);
    }

    void operation(const ops::Operation& op, std::vector<std::string>& lines) {
        const bool b = op.batch;
        const std::string owner = b ? "batch_op" : "op";
        // In a batch block the table is the block's: no table argument.
        auto table = [&](const std::string& t) { return b ? std::string() : python_repr(t) + ", "; };
        std::visit(
            [&](const auto& c) {
                using T = std::decay_t<decltype(c)>;
                if constexpr (std::is_same_v<T, ops::CreateTable>) {
                    create_table(c.table, lines);
                } else if constexpr (std::is_same_v<T, ops::DropTable>) {
                    lines.push_back("op.drop_table(" + python_repr(c.table) + ")");
                } else if constexpr (std::is_same_v<T, ops::RenameTable>) {
                    lines.push_back("op.rename_table(" + python_repr(c.table) + ", " +
                                    python_repr(c.new_name) + ")");
                } else if constexpr (std::is_same_v<T, ops::AddColumn>) {
                    lines.push_back(owner + ".add_column(" + table(c.table) +
                                    column(c.column, c.column.nullable) + ")");
                } else if constexpr (std::is_same_v<T, ops::DropColumn>) {
                    lines.push_back(owner + ".drop_column(" + table(c.table) +
                                    python_repr(c.column) + ")");
                } else if constexpr (std::is_same_v<T, ops::AlterColumn>) {
                    alter_column(c, owner, b, lines);
                } else if constexpr (std::is_same_v<T, ops::CreateIndex>) {
                    lines.push_back(owner + ".create_index(" + owner + ".f(" +
                                    python_repr(c.index.name) + "), " + table(c.table) +
                                    list_repr(c.index.columns) +
                                    ", unique=" + bool_repr(c.index.unique) + ")");
                } else if constexpr (std::is_same_v<T, ops::DropIndex>) {
                    lines.push_back(owner + ".drop_index(" + owner + ".f(" + python_repr(c.name) +
                                    ")" + (b ? "" : ", table_name=" + python_repr(c.table)) + ")");
                } else if constexpr (std::is_same_v<T, ops::CreateUniqueConstraint>) {
                    lines.push_back(owner + ".create_unique_constraint(" +
                                    python_repr(c.constraint.name) + ", " + table(c.table) +
                                    list_repr(c.constraint.columns) + ")");
                } else if constexpr (std::is_same_v<T, ops::CreateForeignKey>) {
                    const auto& fk = c.foreign_key;
                    lines.push_back(owner + ".create_foreign_key(" + python_repr(fk.name) + ", " +
                                    table(c.table) + python_repr(fk.referred_table) + ", " +
                                    list_repr(fk.columns) + ", " + list_repr(fk.referred_columns) +
                                    fk_actions(fk) + ")");
                } else if constexpr (std::is_same_v<T, ops::CreatePrimaryKey>) {
                    lines.push_back(owner + ".create_primary_key(" +
                                    python_repr(c.primary_key.name) + ", " + table(c.table) +
                                    list_repr(c.primary_key.columns) + ")");
                } else if constexpr (std::is_same_v<T, ops::DropConstraint>) {
                    lines.push_back(owner + ".drop_constraint(" + python_repr(c.name) + ", " +
                                    table(c.table) + "type_=" + python_repr(c.type) + ")");
                } else {
                    lines.push_back("op.execute(" + python_repr(c.sql) + ")");
                }
            },
            op.change);
    }
};

}  // namespace

std::string python_repr(const std::string& text) {
    const bool double_quoted =
        text.find('\'') != std::string::npos && text.find('"') == std::string::npos;
    const char quote = double_quoted ? '"' : '\'';
    std::string out(1, quote);
    for (char ch : text) {
        const auto u = static_cast<unsigned char>(ch);
        if (ch == quote || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (ch == '\n') {
            out += "\\n";
        } else if (ch == '\r') {
            out += "\\r";
        } else if (ch == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", u);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + quote;
}

std::string python_type(const schema::Type& t, Dialect dialect) {
    auto with = [](const std::string& name, const std::string& args) {
        return "sa." + name + "(" + args + ")";
    };
    switch (t.kind) {
    case TypeKind::integer: return with("Integer", "");
    case TypeKind::biginteger: return with("BigInteger", "");
    case TypeKind::smallinteger: return with("SmallInteger", "");
    case TypeKind::string:
        return with("String", t.length ? "length=" + std::to_string(*t.length) : "");
    case TypeKind::text: return with("Text", "");
    case TypeKind::boolean: return with("Boolean", "");
    case TypeKind::date: return with("Date", "");
    case TypeKind::datetime: return with("DateTime", t.timezone ? "timezone=True" : "");
    case TypeKind::time: return with("Time", t.timezone ? "timezone=True" : "");
    case TypeKind::float_: return with("Float", "");
    case TypeKind::numeric: {
        std::string args;
        if (t.precision) {
            args = "precision=" + std::to_string(*t.precision);
        }
        if (t.scale) {
            args += (args.empty() ? "" : ", ") + std::string("scale=") + std::to_string(*t.scale);
        }
        return with("Numeric", args);
    }
    case TypeKind::json: return with("JSON", "");
    case TypeKind::binary:
        return with("LargeBinary", t.length ? "length=" + std::to_string(*t.length) : "");
    case TypeKind::uuid:
        return dialect == Dialect::postgresql ? "postgresql.UUID()" : with("Uuid", "");
    case TypeKind::enum_: {
        std::string args = args_repr(t.enum_values);
        if (!t.enum_name.empty()) {
            args += (args.empty() ? "" : ", ") + std::string("name=") + python_repr(t.enum_name);
        }
        return with("Enum", args);
    }
    }
    return with("NullType", "");
}

std::vector<std::string> render_body(const std::vector<Step>& steps, Dialect dialect,
                                     std::set<std::string>& imports) {
    std::vector<std::string> lines;
    if (steps.empty()) {
        return lines;
    }
    Renderer r{dialect, imports};
    lines.push_back("# ### commands auto generated by migcheck - please adjust! ###");
    std::string block;  // the table of the open batch block, or ""
    for (const auto& step : steps) {
        const ops::Operation& op = step.op;
        const std::string table = ops::target_table(op.change);
        if (!block.empty() && (!op.batch || table != block)) {
            lines.emplace_back();
            block.clear();
        }
        std::string indent;
        if (op.batch) {
            if (block.empty()) {
                lines.push_back("with op.batch_alter_table(" + python_repr(table) +
                                ", schema=None) as batch_op:");
                block = table;
            }
            indent = "    ";
        }
        if (!step.caution.empty()) {
            lines.push_back(indent + "# destructive: " + step.caution);
        }
        std::vector<std::string> op_lines;
        r.operation(op, op_lines);
        for (auto& l : op_lines) {
            lines.push_back(indent + l);
        }
    }
    if (!block.empty()) {
        lines.emplace_back();
    }
    lines.push_back("# ### end migcheck commands ###");
    return lines;
}

}  // namespace migcheck::generate
