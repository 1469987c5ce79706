#pragma once

#include "migcheck/schema/schema.hpp"

#include <nlohmann/json_fwd.hpp>

namespace migcheck::schema {

// The schema as JSON, in the normalised shape the differential tests compare
// with SQLAlchemy's MetaData:
//
//   {"tables": {NAME: {"columns": {NAME: COLUMN}, "primary_key": [...],
//                      "indexes": [...], "unique_constraints": [...],
//                      "foreign_keys": [...], "comment": "..."}}}
//
// A column is {"type", "nullable", "autoincrement" (null for SQLAlchemy's
// "auto"), "server_default" (SQL text or null), "comment"} plus the type's
// parameters that apply to its kind: "length" (string, binary), "precision"
// and "scale" (numeric), "timezone" (datetime, time), "enum_values" and
// "enum_name" (enum). Column-level `index`, `unique` and `foreign_key` appear
// as the table's indexes, unique constraints and foreign keys
// (Table::all_indexes and friends), and the primary key as the list of its
// columns; every list is sorted, so two spellings of one schema give one JSON.
nlohmann::json schema_to_json(const Schema& schema);

}  // namespace migcheck::schema
