#pragma once

#include "migcheck/config/project.hpp"
#include "migcheck/git/repository.hpp"
#include "migcheck/migrate/ops_loader.hpp"
#include "migcheck/models/reader.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/revision/graph.hpp"
#include "migcheck/schema/schema.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace migcheck::checks {

// What the models declare on one side.
struct ModelsSide {
    std::vector<std::string> paths;  // the files the globs find
    models::ModelsResult read;
};

// The revision history on one side.
struct HistorySide {
    bool present = false;  // alembic.ini and its version locations exist
    std::unique_ptr<revision::Graph> graph;
    // Reading the files, building the graph, and the heads rule; default
    // severities, not sorted.
    std::vector<Finding> findings;
};

// The project as one commit, or the index, holds it, and what the gate rules
// derive from it, each computed on first use and kept. A side without files
// is the empty project before a first commit. Not thread-safe.
class Side {
  public:
    // `files` may be null (nothing yet). `project` is the side's own
    // configuration. `cache_root` names the header cache (revision/cache.hpp)
    // shared by every git side of one project; "" reads every file afresh.
    Side(const git::GitFiles* files, config::Project project, std::string cache_root);

    bool empty() const { return m_files == nullptr; }
    const git::GitFiles* files() const { return m_files; }
    const config::Project& project() const { return m_project; }
    // "HEAD", "the index", "commit abc1234": what messages call the side.
    std::string description() const;

    // config/schema.yaml's text, or nullopt when the side has none.
    const std::optional<std::string>& schema_text();
    // config/schema.yaml loaded: nullopt when absent. Throws usage_error
    // (path:line:col) when it does not load.
    const std::optional<schema::Schema>& declared();
    const ModelsSide& models();
    const HistorySide& history();
    // The history replayed symbolically; requires history().graph.
    const replay::SymbolicResult& symbolic();
    // The operations reader the symbolic replay used.
    migrate::OpsLoader& ops();

  private:
    const git::GitFiles* m_files;
    config::Project m_project;
    std::string m_cache_root;
    std::optional<std::optional<std::string>> m_schema_text;
    std::optional<std::optional<schema::Schema>> m_declared;
    std::optional<ModelsSide> m_models;
    std::optional<HistorySide> m_history;
    std::unique_ptr<migrate::OpsLoader> m_ops;
    std::optional<replay::SymbolicResult> m_symbolic;
};

}  // namespace migcheck::checks
