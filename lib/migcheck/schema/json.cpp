#include "migcheck/schema/json.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace migcheck::schema {
namespace {

nlohmann::json optional_int(const std::optional<int>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json column_json(const Column& c) {
    nlohmann::json j;
    j["type"] = type_kind_name(c.type.kind);
    switch (c.type.kind) {
    case TypeKind::string:
    case TypeKind::binary:
        j["length"] = optional_int(c.type.length);
        break;
    case TypeKind::numeric:
        j["precision"] = optional_int(c.type.precision);
        j["scale"] = optional_int(c.type.scale);
        break;
    case TypeKind::datetime:
    case TypeKind::time:
        j["timezone"] = c.type.timezone;
        break;
    case TypeKind::enum_:
        j["enum_values"] = c.type.enum_values;
        j["enum_name"] = c.type.enum_name;
        break;
    default:
        break;
    }
    j["nullable"] = c.nullable;
    j["autoincrement"] = c.autoincrement ? nlohmann::json(*c.autoincrement) : nlohmann::json(nullptr);
    j["server_default"] =
        c.server_default ? nlohmann::json(*c.server_default) : nlohmann::json(nullptr);
    j["comment"] = c.comment;
    return j;
}

// Lists compare as sets: SQLAlchemy keeps indexes and constraints in sets.
nlohmann::json sorted(nlohmann::json list) {
    std::sort(list.begin(), list.end(),
              [](const nlohmann::json& a, const nlohmann::json& b) { return a.dump() < b.dump(); });
    return list;
}

nlohmann::json table_json(const Table& t) {
    nlohmann::json j;
    j["columns"] = nlohmann::json::object();
    for (const Column& c : t.columns) {
        j["columns"][c.name] = column_json(c);
    }
    std::vector<std::string> key = t.primary_key_columns();
    j["primary_key"] = key;
    nlohmann::json indexes = nlohmann::json::array();
    for (const Index& i : t.all_indexes()) {
        indexes.push_back({{"name", i.name}, {"columns", i.columns}, {"unique", i.unique}});
    }
    j["indexes"] = sorted(indexes);
    nlohmann::json uniques = nlohmann::json::array();
    for (const UniqueConstraint& u : t.all_unique_constraints()) {
        uniques.push_back({{"name", u.name}, {"columns", u.columns}});
    }
    j["unique_constraints"] = sorted(uniques);
    nlohmann::json fks = nlohmann::json::array();
    for (const ForeignKey& f : t.all_foreign_keys()) {
        fks.push_back({{"name", f.name},
                       {"columns", f.columns},
                       {"referred_table", f.referred_table},
                       {"referred_columns", f.referred_columns},
                       {"on_delete", f.on_delete},
                       {"on_update", f.on_update}});
    }
    j["foreign_keys"] = sorted(fks);
    j["comment"] = t.comment;
    return j;
}

}  // namespace

nlohmann::json schema_to_json(const Schema& schema) {
    nlohmann::json tables = nlohmann::json::object();
    for (const Table& t : schema.tables) {
        tables[t.name] = table_json(t);
    }
    return {{"tables", tables}};
}

}  // namespace migcheck::schema
