#pragma once

// Pieces of compare() shared between its files; not part of the module's
// interface.

#include "migcheck/schema/compare.hpp"

#include <string>
#include <vector>

namespace migcheck::schema::detail {

// A difference about table `table`, with both places filled in.
Difference difference(DifferenceKind kind, const std::string& table, std::string column,
                      std::string expected, std::string actual, Location expected_at,
                      Location actual_at);

// "(a, b)".
std::string render_columns(const std::vector<std::string>& columns);

// Differences in indexes, unique constraints, foreign keys and the primary
// key's name between two tables of the same name.
void compare_indexes(const Table& expected, const Table& actual, std::vector<Difference>& out);
void compare_unique_constraints(const Table& expected, const Table& actual,
                                std::vector<Difference>& out);
void compare_foreign_keys(const Table& expected, const Table& actual, std::vector<Difference>& out);
void compare_primary_key_names(const Table& expected, const Table& actual,
                               std::vector<Difference>& out);

}  // namespace migcheck::schema::detail
