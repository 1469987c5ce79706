#pragma once

#include "migcheck/db/migrator.hpp"

#include <ostream>

namespace migcheck::db {

// Writes the SQL that running `steps` on a database at `from` (empty: base)
// would run, without a database (Alembic's offline `--sql` mode): each
// revision between BEGIN and COMMIT with its version row change, preceded by
// a "-- Running upgrade a -> b, message" comment, every statement ending in
// ";". The schema at `from` comes from replaying the operations, so that
// alterations SQLite cannot make in place are rebuilt as batch mode does,
// which Alembic's offline mode cannot do on SQLite. Stops at the first
// revision that cannot be rendered and returns why.
std::optional<StepFailure> write_offline_sql(std::ostream& out, const revision::Graph& graph,
                                             migrate::OpsLoader& ops, const std::vector<int>& from,
                                             const std::vector<migrate::Step>& steps,
                                             const std::string& version_table);

}  // namespace migcheck::db
