#include "migcheck/models/detail.hpp"

#include "migcheck/util/text.hpp"

#include <map>

namespace migcheck::models::detail {
namespace {

using schema::Type;
using schema::TypeKind;

// SQLAlchemy's type names (generic, uppercase SQL and dialect spellings) and
// the schema type each stands for. What is missing here (Interval, ARRAY,
// PickleType, CHAR...) has no schema type and is reported, not mapped.
const std::map<std::string, TypeKind>& type_names() {
    static const std::map<std::string, TypeKind> names = {
        {"Integer", TypeKind::integer},
        {"INTEGER", TypeKind::integer},
        {"INT", TypeKind::integer},
        {"BigInteger", TypeKind::biginteger},
        {"BIGINT", TypeKind::biginteger},
        {"SmallInteger", TypeKind::smallinteger},
        {"SMALLINT", TypeKind::smallinteger},
        {"String", TypeKind::string},
        {"VARCHAR", TypeKind::string},
        {"Unicode", TypeKind::string},
        {"NVARCHAR", TypeKind::string},
        {"Text", TypeKind::text},
        {"TEXT", TypeKind::text},
        {"UnicodeText", TypeKind::text},
        {"CLOB", TypeKind::text},
        {"Boolean", TypeKind::boolean},
        {"BOOLEAN", TypeKind::boolean},
        {"Date", TypeKind::date},
        {"DATE", TypeKind::date},
        {"DateTime", TypeKind::datetime},
        {"DATETIME", TypeKind::datetime},
        {"TIMESTAMP", TypeKind::datetime},
        {"Time", TypeKind::time},
        {"TIME", TypeKind::time},
        {"Float", TypeKind::float_},
        {"FLOAT", TypeKind::float_},
        {"REAL", TypeKind::float_},
        {"Double", TypeKind::float_},
        {"DOUBLE", TypeKind::float_},
        {"DOUBLE_PRECISION", TypeKind::float_},
        {"Numeric", TypeKind::numeric},
        {"NUMERIC", TypeKind::numeric},
        {"DECIMAL", TypeKind::numeric},
        {"JSON", TypeKind::json},
        {"LargeBinary", TypeKind::binary},
        {"BLOB", TypeKind::binary},
        {"Uuid", TypeKind::uuid},
        {"UUID", TypeKind::uuid},
        {"Enum", TypeKind::enum_},
    };
    return names;
}

// Dialect types, by the last part after the dialect: postgresql.JSONB.
std::optional<TypeKind> dialect_type(const std::string& sym) {
    std::string dialect = sym.substr(0, sym.find('.'));
    std::string name = sym.substr(sym.find('.') + 1);
    if (name == "JSONB" || name == "JSON") {
        return TypeKind::json;
    }
    if (name == "BYTEA") {
        return TypeKind::binary;
    }
    if (name == "ENUM") {
        return TypeKind::enum_;
    }
    if (name == "UUID") {
        return TypeKind::uuid;
    }
    auto it = type_names().find(name);
    if (it != type_names().end() && name != "Enum") {
        return it->second;
    }
    return std::nullopt;
}

NodeId positional(const Node& call, std::size_t index) {
    return index + 1 < call.children.size() ? call.children[index + 1] : python::no_node;
}

// An int argument given by position or keyword; false when given but not a
// literal.
bool int_arg(const Module& m, const Node& call, std::size_t index, const std::string& keyword,
             std::optional<int>& out, std::string& why) {
    NodeId id = keyword_arg(call, keyword);
    if (id == python::no_node) {
        id = positional(call, index);
    }
    if (id == python::no_node || (m.node(id).kind == NodeKind::constant && m.node(id).text == "None")) {
        return true;
    }
    out = literal_int(m, id);
    if (!out) {
        why = "`" + keyword + "` is not an integer literal";
        return false;
    }
    return true;
}

// The strings of a module-level constant `NAME = ("a", "b")` (a tuple, list
// or set of string literals, the last assignment winning), for
// `Enum(*NAME)`; nullopt when NAME is anything else.
std::optional<std::vector<std::string>> module_strings(const Module& m, const std::string& name) {
    std::optional<std::vector<std::string>> found;
    for (const auto& s : m.body) {
        if (s.kind != python::StatementKind::assign || s.targets.size() != 1 ||
            m.node(s.targets[0]).kind != NodeKind::name || m.node(s.targets[0]).text != name) {
            continue;
        }
        const Node& v = m.node(s.value);
        found.reset();
        if (v.kind != NodeKind::tuple && v.kind != NodeKind::list && v.kind != NodeKind::set) {
            continue;
        }
        std::vector<std::string> values;
        for (NodeId c : v.children) {
            auto text = literal_string(m, c);
            if (!text) {
                values.clear();
                break;
            }
            values.push_back(*text);
        }
        if (!values.empty() || v.children.empty()) {
            found = std::move(values);
        }
    }
    return found;
}

bool read_enum(const Reader& r, const ModuleInfo& mod, const Node& call, Type& type,
               std::string& why) {
    const Module& m = *mod.module;
    for (std::size_t i = 1; i < call.children.size(); ++i) {
        NodeId arg = call.children[i];
        if (auto value = literal_string(m, arg)) {
            type.enum_values.push_back(*value);
            continue;
        }
        if (m.node(arg).kind == NodeKind::starred &&
            m.node(m.node(arg).children[0]).kind == NodeKind::name) {
            if (auto values = module_strings(m, m.node(m.node(arg).children[0]).text)) {
                type.enum_values.insert(type.enum_values.end(), values->begin(), values->end());
                continue;
            }
        }
        const ClassInfo* cls = r.find_class(mod, arg);
        std::optional<std::vector<std::string>> members;
        if (cls != nullptr) {
            members = enum_members(r, *cls);
        }
        if (!members) {
            why = "`" + describe_expr(m, arg) + "` is not a string or an Enum class of the models files";
            return false;
        }
        // SQLAlchemy stores an Enum class's member names, and names the type
        // after the class unless name= says otherwise.
        type.enum_values = *members;
        type.enum_name = text::to_lower(cls->stmt->name);
    }
    if (keyword_arg(call, "values_callable") != python::no_node) {
        why = "values_callable= is computed by Python";
        return false;
    }
    NodeId name = keyword_arg(call, "name");
    if (name != python::no_node) {
        auto n = literal_string(m, name);
        if (!n) {
            why = "name= is not a string literal";
            return false;
        }
        type.enum_name = *n;
    }
    return true;
}

}  // namespace

std::optional<std::vector<std::string>> enum_members(const Reader& r, const ClassInfo& cls) {
    const Module& m = *cls.mod->module;
    const Node& header = cls.stmt->header == python::no_node ? Node{} : m.node(cls.stmt->header);
    bool is_enum = false;
    for (std::size_t i = 1; i < header.children.size(); ++i) {
        std::string q = r.qualified(*cls.mod, header.children[i]);
        std::string last = q.substr(q.rfind('.') + 1);
        if (q.rfind("enum.", 0) == 0 || last == "Enum" || last == "IntEnum" || last == "StrEnum") {
            is_enum = true;
        }
    }
    if (!is_enum) {
        return std::nullopt;
    }
    std::vector<std::string> members;
    for (const Statement& s : cls.stmt->body) {
        if (s.kind != StatementKind::assign || s.targets.size() != 1 ||
            m.node(s.targets[0]).kind != NodeKind::name) {
            continue;
        }
        const std::string& name = m.node(s.targets[0]).text;
        if (!name.empty() && name[0] != '_') {
            members.push_back(name);
        }
    }
    return members;
}

std::optional<Type> read_type(const Reader& r, const ModuleInfo& mod, NodeId id, std::string& why) {
    const Module& m = *mod.module;
    const Node& n = m.node(id);
    NodeId callee = n.kind == NodeKind::call ? n.children[0] : id;
    std::string sym = r.sa_symbol(mod, callee);
    std::optional<TypeKind> kind;
    if (sym.find('.') != std::string::npos) {
        kind = dialect_type(sym);
    } else if (!sym.empty()) {
        auto it = type_names().find(sym);
        if (it != type_names().end()) {
            kind = it->second;
        }
    }
    if (!kind) {
        why = "`" + describe_expr(m, id) + "` is not a SQLAlchemy type migcheck knows";
        return std::nullopt;
    }
    Type type;
    type.kind = *kind;
    if (n.kind != NodeKind::call) {
        return type;
    }
    bool ok = true;
    switch (*kind) {
    case TypeKind::string:
    case TypeKind::binary:
        ok = int_arg(m, n, 0, "length", type.length, why);
        break;
    case TypeKind::numeric:
        ok = int_arg(m, n, 0, "precision", type.precision, why) &&
             int_arg(m, n, 1, "scale", type.scale, why);
        break;
    case TypeKind::datetime:
    case TypeKind::time: {
        NodeId tz = keyword_arg(n, "timezone");
        if (tz == python::no_node) {
            tz = positional(n, 0);
        }
        if (tz != python::no_node) {
            auto value = literal_bool(m, tz);
            ok = value.has_value();
            type.timezone = value.value_or(false);
            if (!ok) {
                why = "timezone= is not True or False";
            }
        }
        break;
    }
    case TypeKind::enum_:
        ok = read_enum(r, mod, n, type, why);
        break;
    default:
        break;
    }
    if (!ok) {
        why = "`" + describe_expr(m, id) + "`: " + why;
        return std::nullopt;
    }
    return type;
}

std::optional<MappedAnnotation> mapped_annotation(const Reader& r, const ModuleInfo& mod,
                                                  NodeId annotation) {
    const Module& m = *mod.module;
    if (annotation == python::no_node || m.node(annotation).kind != NodeKind::subscript) {
        return std::nullopt;
    }
    const Node& sub = m.node(annotation);
    std::string sym = r.sa_symbol(mod, sub.children[0]);
    if (sym != "Mapped") {
        return std::nullopt;
    }
    MappedAnnotation out;
    out.inner = sub.children[1];
    // Optional[X], Union[X, None], X | None, None | X.
    for (int guard = 0; guard < 8; ++guard) {
        const Node& inner = m.node(out.inner);
        std::string q = inner.kind == NodeKind::subscript ? r.qualified(mod, inner.children[0]) : "";
        std::string last = q.substr(q.rfind('.') + 1);
        auto is_none = [&](NodeId id) {
            return m.node(id).kind == NodeKind::constant && m.node(id).text == "None";
        };
        if (inner.kind == NodeKind::subscript && last == "Optional") {
            out.optional = true;
            out.inner = inner.children[1];
        } else if (inner.kind == NodeKind::subscript && last == "Union" &&
                   m.node(inner.children[1]).kind == NodeKind::tuple &&
                   m.node(inner.children[1]).children.size() == 2) {
            const Node& args = m.node(inner.children[1]);
            if (is_none(args.children[1])) {
                out.optional = true;
                out.inner = args.children[0];
            } else if (is_none(args.children[0])) {
                out.optional = true;
                out.inner = args.children[1];
            } else {
                break;
            }
        } else if (inner.kind == NodeKind::binary && inner.text == "|" &&
                   (is_none(inner.children[0]) || is_none(inner.children[1]))) {
            out.optional = true;
            out.inner = is_none(inner.children[1]) ? inner.children[0] : inner.children[1];
        } else {
            break;
        }
    }
    return out;
}

std::optional<Type> annotation_type(const Reader& r, const ModuleInfo& mod, NodeId inner,
                                    std::string& why) {
    const Module& m = *mod.module;
    std::string q = r.qualified(mod, inner);
    if (auto s = literal_string(m, inner)) {
        q = *s;  // Mapped["int"]: a forward reference by name
    }
    auto custom = r.annotation_map.find(q);
    if (custom != r.annotation_map.end()) {
        return read_type(r, *custom->second.first, custom->second.second, why);
    }
    // SQLAlchemy 2.0's default type_annotation_map.
    static const std::map<std::string, TypeKind> defaults = {
        {"int", TypeKind::integer},          {"str", TypeKind::string},
        {"bool", TypeKind::boolean},         {"float", TypeKind::float_},
        {"bytes", TypeKind::binary},         {"datetime.datetime", TypeKind::datetime},
        {"datetime.date", TypeKind::date},   {"datetime.time", TypeKind::time},
        {"decimal.Decimal", TypeKind::numeric}, {"uuid.UUID", TypeKind::uuid},
    };
    auto it = defaults.find(q);
    if (it != defaults.end()) {
        Type type;
        type.kind = it->second;
        return type;
    }
    if (const ClassInfo* cls = r.find_class(mod, inner)) {
        if (auto members = enum_members(r, *cls)) {
            Type type;
            type.kind = TypeKind::enum_;
            type.enum_values = *members;
            type.enum_name = text::to_lower(cls->stmt->name);
            return type;
        }
    }
    why = "`" + describe_expr(m, inner) +
          "` is not in SQLAlchemy's default type_annotation_map; give mapped_column() a type";
    return std::nullopt;
}

}  // namespace migcheck::models::detail
