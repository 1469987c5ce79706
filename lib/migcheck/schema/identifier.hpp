#pragma once

#include <string>
#include <string_view>

namespace migcheck::schema {

// The longest identifier PostgreSQL keeps (NAMEDATALEN - 1); longer names are
// silently truncated there, so two long names could become one.
constexpr std::size_t max_identifier_length = 63;

// Why `name` cannot be a table, column, index, constraint or type name that
// works unquoted in both SQLite and PostgreSQL, or "" when it can. A valid
// name is 1 to 63 ASCII letters, digits and underscores, not starting with a
// digit. Reserved words (user, order) are accepted: SQLAlchemy quotes them.
// The reason reads after the name and says what to do, e.g. "starts with a
// digit: use letters, digits and underscores, starting with a letter or
// underscore".
std::string identifier_problem(std::string_view name);

}  // namespace migcheck::schema
