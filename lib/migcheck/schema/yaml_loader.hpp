#pragma once

#include "migcheck/schema/schema.hpp"

#include <string>
#include <string_view>

namespace migcheck::schema {

// Reads config/schema.yaml, format version 1 (docs/schema-yaml.md): `text` is
// the file's contents, `path` the name every message and Location uses.
// Tables and columns keep document order; defaults are filled in (nullable is
// true, false for primary key columns). Locations are 1-based lines of the
// table, column, index or constraint's first token.
//
// Throws usage_error("<path>:LINE:COL: <message>") on the first problem:
// malformed YAML; a missing or unsupported `version`; a missing `tables`; an
// unknown key anywhere, an unknown type or ON DELETE / ON UPDATE action (with
// a "did you mean" suggestion); a key given twice; a table or column declared
// twice; a column without a type, or with a parameter its type does not take
// (`length` on an integer); an enum without `values` or `enum_name`; a
// primary key column declared nullable; a foreign key to a table or column
// that is not declared; an index or constraint naming an unknown column or a
// column twice; an index without a name; two indexes or constraints of one
// name anywhere in the schema (`index: true` counts as ix_<table>_<column>);
// a renamed_from naming the table or column itself; a name that is not a
// valid SQL identifier (see identifier_problem()).
Schema load_schema_yaml(std::string_view text, const std::string& path);

}  // namespace migcheck::schema
