#pragma once

#include "migcheck/ops/ops.hpp"
#include "migcheck/report/finding.hpp"

#include <vector>

namespace migcheck::ops {

// Applies one operation to the schema model, as the database would: the
// symbolic replay. Pure. A problem (dropping a column that does not exist,
// adding a table twice, an index on an unknown column, a foreign key to a
// missing table) is an `invalid-operation` error finding at the operation's
// file and line, and the schema is left as it was. op.execute of DML
// (INSERT, UPDATE, DELETE, SELECT...) changes nothing; of anything else it
// is an `execute-not-modelled` warning (the scratch replay runs it).
void apply(schema::Schema& schema, const Operation& op, std::vector<Finding>& findings);

// Whether op.execute's SQL may change the schema: anything but DML (its
// first keyword, after blanks, comments and parentheses, INSERT, UPDATE,
// DELETE, SELECT, WITH or REPLACE).
bool may_change_schema(const Execute& change);

}  // namespace migcheck::ops
