#include "migcheck/cli/loaded_history.hpp"

#include "migcheck/report/render.hpp"
#include "migcheck/revision/loader.hpp"

namespace migcheck::cli {

LoadedGraph& load_graph(const Context& ctx, revision::HeaderText text) {
    revision::LoadedHistory loaded =
        revision::load_history(*ctx.files, ctx.project.alembic, ctx.root, text);
    revision::Graph graph(std::move(loaded.revisions));
    std::vector<Finding> findings = std::move(loaded.findings);
    findings.insert(findings.end(), graph.findings().begin(), graph.findings().end());
    apply_severities(findings, ctx.project.settings);
    sort_findings(findings);
    // The list itself is never destroyed either, so at exit everything is
    // still reachable from a static pointer.
    static auto* kept = new std::vector<LoadedGraph*>();
    kept->push_back(new LoadedGraph{std::move(graph), std::move(findings), std::move(loaded.files)});
    return *kept->back();
}

}  // namespace migcheck::cli
