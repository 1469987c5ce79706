#include "migcheck/replay/check.hpp"

#include "migcheck/schema/compare.hpp"
#include "migcheck/sql/types.hpp"

#include <algorithm>

namespace migcheck::replay {
namespace {

// What the scratch database holds but the operations do not say, or the
// reverse: SQL that op.execute ran, or a rendering that is not faithful.
std::vector<Finding> replay_differences(const schema::Schema& symbolic,
                                        const schema::Schema& database) {
    std::vector<Finding> out;
    for (const auto& d : schema::compare(sql::sqlite_view(symbolic), database)) {
        Finding f;
        f.code = "replay-differs";
        f.file = d.expected_at.file;
        f.line = d.expected_at.line;
        f.message = "the scratch database differs from what the operations say: " +
                    schema::describe(d, "the operations", "the scratch database");
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace

ReplayCheck check_replays(const revision::Graph& graph, migrate::OpsLoader& ops,
                          const schema::Schema& declared, const std::string& schema_path,
                          bool sqlite, const ScratchOptions& options) {
    ReplayCheck o;
    SymbolicResult sym = replay_symbolic(graph, ops, sqlite);
    o.symbolic_complete = sym.complete;
    o.findings = std::move(sym.findings);
    if (sym.complete) {
        auto diff = schema_findings(declared, sym.head, schema_path, "the migrations", "migration");
        o.findings.insert(o.findings.end(), diff.begin(), diff.end());
    }
    ScratchResult scratch = replay_scratch(graph, ops, options);
    o.scratch_complete = scratch.complete;
    for (auto& f : scratch.findings) {
        // A statement both replays stop at is reported once, by the first.
        bool seen = std::any_of(o.findings.begin(), o.findings.end(), [&](const Finding& g) {
            return g.code == f.code && g.file == f.file && g.line == f.line;
        });
        if (!seen) {
            o.findings.push_back(std::move(f));
        }
    }
    if (scratch.complete && sym.complete) {
        auto diff = replay_differences(sym.head, scratch.head);
        o.findings.insert(o.findings.end(), diff.begin(), diff.end());
    } else if (scratch.complete) {
        auto diff = schema_findings(sql::sqlite_view(declared), scratch.head, schema_path,
                                    "the scratch database", "migration");
        o.findings.insert(o.findings.end(), diff.begin(), diff.end());
    }
    return o;
}

}  // namespace migcheck::replay
