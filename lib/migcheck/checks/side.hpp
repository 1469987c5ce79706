#pragma once

#include "migcheck/config/project.hpp"
#include "migcheck/git/repository.hpp"
#include "migcheck/migrate/ops_loader.hpp"
#include "migcheck/models/reader.hpp"
#include "migcheck/replay/replay.hpp"
#include "migcheck/revision/graph.hpp"
#include "migcheck/revision/loader.hpp"
#include "migcheck/schema/schema.hpp"
#include "migcheck/util/content_cache.hpp"

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
    // The files the models globs find, before models() reads them.
    const std::vector<std::string>& model_paths();
    // Says which files the models are in, when the caller knows already (the
    // other side's list, adjusted by what changed): spares walking a large
    // tree for the globs. Must come before model_paths() and models().
    void set_model_paths(std::vector<std::string> paths);
    // The files the models are in when known without walking: given, or
    // cached for this side's tree (a commit's, or an index whose cache
    // tree is whole). Null otherwise.
    const std::vector<std::string>* model_paths_if_known();
    const ModelsSide& models();
    // When this side's revision files are `base`'s but for those at `paths`
    // (the index against HEAD), history() starts from base's history as
    // kept for its tree, when it is, and reads only those files. Must come
    // before history().
    void derive_history(Side* base, std::vector<std::string> paths);
    const HistorySide& history();
    // The revision in the file at `path` (a revision file's path), read
    // alone when the history is not loaded; nullopt when the side has no
    // such file or it holds no revision.
    std::optional<revision::Revision> revision_at(const std::string& path);
    // The same when the caller knows the file's blob (nullopt: no file),
    // sparing the lookup of its folder.
    std::optional<revision::Revision> revision_in(const std::string& path,
                                                  const std::optional<git::ObjectId>& blob);
    // The history replayed symbolically; requires history().graph. With
    // `base`, a side whose history of `base_size` revisions this one extends
    // by `added` revisions (graph positions here) and nothing else, the
    // replay starts from base's result when that is at hand (computed, or
    // in the cache) instead of from the first revision.
    const replay::SymbolicResult& symbolic(Side* base = nullptr,
                                           const std::vector<int>& added = {},
                                           std::size_t base_size = 0);
    // The symbolic replay's result when it is at hand without replaying
    // (computed, or in the cache), else null.
    const replay::SymbolicResult* symbolic_if_known();
    // The operations reader the symbolic replay used.
    migrate::OpsLoader& ops();

  private:
    // The cache key naming this side's history: every revision file's path
    // and blob, in load order.
    const std::string& history_key();
    // The key naming the model files by the tree they are found in, when its
    // id is known without hashing.
    std::optional<std::string> model_paths_key() const;
    // The key naming the version locations by their tree ids, known without
    // reading the history; nullopt when a location has none (absent, or a
    // conflict staged under it).
    const std::optional<std::string>& tree_key();
    // Whether no file under the version locations is a symbolic link: a
    // tree id then names every byte the history is read from.
    bool links_free();
    // The revision files read as load_history() reads them: kept under the
    // tree key, or derived from the base's, or read.
    revision::LoadedHistory load();
    std::optional<revision::LoadedHistory> kept_history();
    std::optional<revision::LoadedHistory> derived_history();
    std::string blob_hex(const std::string& path) const;

    const git::GitFiles* m_files;
    ContentCache m_cache;
    std::optional<std::string> m_history_key;
    std::optional<std::optional<std::string>> m_tree_key;
    Side* m_history_base = nullptr;
    std::vector<std::string> m_history_paths;  // differing from the base's, sorted
    std::optional<std::vector<std::string>> m_model_paths;
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
