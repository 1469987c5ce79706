#include "migcheck/report/encode.hpp"
#include "migcheck/schema/encode.hpp"
#include "migcheck/schema/json.hpp"
#include "migcheck/schema/yaml_loader.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace migcheck;
using namespace migcheck::schema;

namespace {

const char* const every_feature = R"(version: 1
tables:
  organizations:
    comment: Customers.
    columns:
      id:   {type: integer, primary_key: true, autoincrement: false}
      name: {type: string, length: 200, nullable: false, unique: true, renamed_from: title}
  users:
    renamed_from: people
    columns:
      id:         {type: integer, primary_key: true}
      org_id:     {type: integer, nullable: false,
                   foreign_key: {references: organizations.id, on_delete: CASCADE, name: fk_org}}
      balance:    {type: numeric, precision: 12, scale: 2, server_default: "0"}
      status:     {type: enum, values: [active, suspended], enum_name: user_status}
      seen_at:    {type: datetime, timezone: true, index: true, comment: last seen}
    indexes:
      - {name: ix_users_org_status, columns: [org_id, status], unique: true}
    unique_constraints:
      - {name: uq_users_org_balance, columns: [org_id, balance]}
)";

}  // namespace

TEST_CASE("a schema and findings survive encoding whole") {
    Schema s = load_schema_yaml(every_feature, "config/schema.yaml");
    std::vector<Finding> findings = {
        {Severity::warning, "models-not-understood", "app/models.py", 3, 7, "a message"},
        {Severity::error, "invalid-operation", "alembic/versions/x.py", 12, 0, ""}};
    binary::Writer w;
    encode(w, s);
    encode_findings(w, findings);
    binary::Reader r(w.out());
    Schema back;
    std::vector<Finding> findings_back;
    REQUIRE(decode(r, back));
    REQUIRE(decode_findings(r, findings_back));
    CHECK(r.done());
    CHECK(schema_to_json(back) == schema_to_json(s));
    CHECK(back.tables[0].columns[1].renamed_from == "title");
    CHECK(back.tables[1].renamed_from == "people");
    CHECK(back.tables[1].columns[1].where.line == s.tables[1].columns[1].where.line);
    CHECK(back.tables[1].columns[1].where.file == "config/schema.yaml");
    CHECK(back.tables[0].columns[0].autoincrement == std::optional<bool>(false));
    CHECK(!back.tables[1].columns[0].autoincrement.has_value());
    REQUIRE(findings_back.size() == 2);
    CHECK(findings_back[0].severity == Severity::warning);
    CHECK(findings_back[0].column == 7);
    CHECK(findings_back[1].code == "invalid-operation");
}

TEST_CASE("damaged bytes are refused, never read past") {
    Schema s = load_schema_yaml(every_feature, "config/schema.yaml");
    binary::Writer w;
    encode(w, s);
    const std::string& bytes = w.out();
    for (std::size_t cut = 0; cut < bytes.size(); cut += 7) {
        binary::Reader r(std::string_view(bytes).substr(0, cut));
        Schema back;
        CHECK_FALSE(decode(r, back));
    }
}
