#include "migcheck/checks/side.hpp"

#include "migcheck/models/glob.hpp"
#include "migcheck/replay/encode.hpp"
#include "migcheck/report/encode.hpp"
#include "migcheck/revision/cache.hpp"
#include "migcheck/revision/loader.hpp"
#include "migcheck/schema/encode.hpp"
#include "migcheck/schema/yaml_loader.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>

#include <functional>
#include <set>

namespace migcheck::checks {
namespace {

// Bump when what is cached, or how it is derived, changes.
constexpr std::string_view cache_format = "migcheck-derived 1\n";

std::string encode_models(const models::ModelsResult& m) {
    binary::Writer w;
    schema::encode(w, m.schema);
    encode_findings(w, m.findings);
    w.u32(static_cast<std::uint32_t>(m.unchecked.size()));
    for (const auto& [table, column] : m.unchecked) {
        w.str(table);
        w.str(column);
    }
    return std::move(w.out());
}

std::optional<models::ModelsResult> decode_models(std::string_view bytes) {
    binary::Reader r(bytes);
    models::ModelsResult out;
    if (!schema::decode(r, out.schema) || !decode_findings(r, out.findings)) {
        return std::nullopt;
    }
    std::uint32_t n = r.u32();
    for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
        std::string table;
        std::string column;
        r.str(table);
        r.str(column);
        out.unchecked.emplace(std::move(table), std::move(column));
    }
    if (!r.ok() || !r.done()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace

Side::Side(const git::GitFiles* files, config::Project project, std::string cache_root)
    : m_files(files), m_project(std::move(project)), m_cache_root(std::move(cache_root)) {
    if (!m_cache_root.empty()) {
        m_cache = ContentCache::open();
    }
}

std::string Side::description() const {
    return m_files == nullptr ? std::string("no commit yet") : m_files->description();
}

std::string Side::blob_hex(const std::string& path) const {
    std::optional<git::ObjectId> id = m_files->blob_id(path);
    return id ? id->hex() : std::string("-");
}

const std::optional<std::string>& Side::schema_text() {
    if (!m_schema_text) {
        m_schema_text.emplace(m_files == nullptr ? std::nullopt
                                                 : m_files->read(m_project.settings.schema));
    }
    return *m_schema_text;
}

const std::optional<schema::Schema>& Side::declared() {
    if (m_declared) {
        return *m_declared;
    }
    const std::string& path = m_project.settings.schema;
    std::optional<git::ObjectId> blob = m_files == nullptr ? std::nullopt : m_files->blob_id(path);
    if (!blob) {
        m_declared.emplace(std::nullopt);
        return *m_declared;
    }
    std::string key = std::string(cache_format) + path + "\n" + blob->hex();
    if (auto bytes = m_cache.get("schema", key)) {
        binary::Reader r(*bytes);
        schema::Schema s;
        if (schema::decode(r, s) && r.done()) {
            m_declared.emplace(std::move(s));
            return *m_declared;
        }
    }
    const auto& text = schema_text();
    m_declared.emplace(text ? std::optional<schema::Schema>(schema::load_schema_yaml(*text, path))
                            : std::nullopt);
    if (*m_declared) {
        binary::Writer w;
        schema::encode(w, **m_declared);
        m_cache.put("schema", key, w.out());
    }
    return *m_declared;
}

std::optional<std::string> Side::model_paths_key() const {
    std::optional<git::ObjectId> root =
        m_files == nullptr ? std::nullopt : m_files->tree_id("", false);
    if (!root) {
        return std::nullopt;
    }
    std::string key(cache_format);
    for (const auto& glob : m_project.settings.models) {
        key += glob + "\n";
    }
    return key + "in tree " + root->hex();
}

void Side::set_model_paths(std::vector<std::string> paths) {
    // Kept for the tree, so that the next run on this commit (the next
    // commit's HEAD, from the index a commit was made of) finds it.
    if (auto key = model_paths_key(); key && !m_cache.get("model-paths", *key)) {
        binary::Writer w;
        w.strs(paths);
        m_cache.put("model-paths", *key, w.out());
    }
    m_model_paths = std::move(paths);
}

const std::vector<std::string>* Side::model_paths_if_known() {
    if (!m_model_paths) {
        if (auto key = model_paths_key()) {
            if (auto bytes = m_cache.get("model-paths", *key)) {
                binary::Reader r(*bytes);
                std::vector<std::string> paths;
                r.strs(paths);
                if (r.ok() && r.done()) {
                    m_model_paths = std::move(paths);
                }
            }
        }
    }
    return m_model_paths ? &*m_model_paths : nullptr;
}

const std::vector<std::string>& Side::model_paths() {
    if (m_model_paths || model_paths_if_known() != nullptr) {
        return *m_model_paths;
    }
    // Tracked files only: what git ignores is not in a commit or the index
    // at all.
    if (m_files == nullptr) {
        m_model_paths.emplace();
        return *m_model_paths;
    }
    const auto& globs = m_project.settings.models;
    // The index is one sorted list: matching each path costs less than
    // walking its folders. A walk skips folders holding pyvenv.cfg.
    models::GlobMatcher matcher(globs);
    std::vector<std::string> paths;
    std::vector<std::string> venvs;
    bool listed = m_files->for_each_file([&](std::string_view path) {
        if (path.ends_with("/pyvenv.cfg")) {
            venvs.emplace_back(path.substr(0, path.size() - std::string_view("pyvenv.cfg").size()));
        }
        if (matcher.matches(path)) {
            paths.emplace_back(path);
        }
    });
    if (!listed) {
        paths = models::find_model_files(*m_files, globs);
    }
    std::erase_if(paths, [&](const std::string& path) {
        return std::any_of(venvs.begin(), venvs.end(),
                           [&](const std::string& v) { return text::starts_with(path, v); });
    });
    set_model_paths(std::move(paths));
    return *m_model_paths;
}

const ModelsSide& Side::models() {
    if (m_models) {
        return *m_models;
    }
    ModelsSide side;
    side.paths = model_paths();
    std::string key(cache_format);
    for (const auto& path : side.paths) {
        key += path + "\n" + blob_hex(path) + "\n";
    }
    if (side.paths.empty()) {
        m_models = std::move(side);
        return *m_models;
    }
    if (auto bytes = m_cache.get("models", key)) {
        if (auto read = decode_models(*bytes)) {
            side.read = std::move(*read);
            m_models = std::move(side);
            return *m_models;
        }
    }
    std::vector<models::SourceFile> sources;
    for (const auto& path : side.paths) {
        if (std::optional<std::string> bytes = m_files->read(path)) {
            sources.push_back(models::SourceFile{path, std::move(*bytes)});
        }
    }
    if (!sources.empty()) {
        side.read = models::read_models(sources);
    }
    m_cache.put("models", key, encode_models(side.read));
    m_models = std::move(side);
    return *m_models;
}

namespace {

std::string encode_history(const revision::LoadedHistory& h) {
    binary::Writer w;
    w.strs(h.files);
    w.u32(static_cast<std::uint32_t>(h.revisions.size()));
    for (const auto& r : h.revisions) {
        w.str(r.path);
        w.str(revision::HeaderCache::encode(revision::ReadResult{r, {}}));
    }
    encode_findings(w, h.findings);
    return std::move(w.out());
}

std::optional<revision::LoadedHistory> decode_history(std::string_view bytes) {
    binary::Reader r(bytes);
    revision::LoadedHistory h;
    r.strs(h.files);
    std::uint32_t n = r.u32();
    if (!r.ok() || n > bytes.size()) {
        return std::nullopt;
    }
    h.revisions.resize(n);
    std::vector<Finding> none;
    for (auto& rev : h.revisions) {
        r.str(rev.path);
        std::string_view entry = r.view();
        if (!r.ok() ||
            revision::HeaderCache::decode(entry, revision::HeaderText::message, rev, none) != true) {
            return std::nullopt;
        }
    }
    if (!decode_findings(r, h.findings) || !r.ok() || !r.done()) {
        return std::nullopt;
    }
    return h;
}

}  // namespace

void Side::derive_history(Side* base, std::vector<std::string> paths) {
    if (base != nullptr) {
        base->tree_key();  // now: history() may run beside other work on base
    }
    m_history_base = base;
    std::sort(paths.begin(), paths.end());
    m_history_paths = std::move(paths);
}

std::optional<revision::LoadedHistory> Side::kept_history() {
    const auto& key = tree_key();
    if (!key) {
        return std::nullopt;
    }
    auto bytes = m_cache.get("history", *key);
    return bytes ? decode_history(*bytes) : std::nullopt;
}

std::optional<revision::LoadedHistory> Side::derived_history() {
    const config::AlembicSettings& alembic = m_project.alembic;
    // In one folder, load order is path order: the files read here take
    // their places among the base's.
    if (m_history_base == nullptr || m_history_base->empty() || alembic.recursive ||
        alembic.version_locations.size() != 1) {
        return std::nullopt;
    }
    std::optional<revision::LoadedHistory> base = m_history_base->kept_history();
    if (!base) {
        return std::nullopt;
    }
    const std::vector<std::string>& changed = m_history_paths;
    auto touched = [&](const std::string& path) {
        return std::binary_search(changed.begin(), changed.end(), path);
    };
    revision::LoadedHistory out;
    for (auto& path : base->files) {
        if (!touched(path)) {
            out.files.push_back(std::move(path));
        }
    }
    for (auto& r : base->revisions) {
        if (!touched(r.path)) {
            out.revisions.push_back(std::move(r));
        }
    }
    for (auto& f : base->findings) {
        if (!touched(f.file)) {
            out.findings.push_back(std::move(f));
        }
    }
    for (const auto& path : changed) {
        std::optional<std::string> bytes;
        try {
            bytes = m_files->read(path);
        } catch (const Error&) {
            return std::nullopt;  // the loader says why, in its words
        }
        if (!bytes) {
            continue;
        }
        revision::ReadResult read = revision::read_revision(*bytes, path);
        out.files.push_back(path);
        if (read.revision) {
            read.revision->path = path;
            out.revisions.push_back(std::move(*read.revision));
        }
        out.findings.insert(out.findings.end(), read.findings.begin(), read.findings.end());
    }
    std::sort(out.files.begin(), out.files.end());
    std::stable_sort(out.revisions.begin(), out.revisions.end(),
                     [](const auto& a, const auto& b) { return a.path < b.path; });
    std::stable_sort(out.findings.begin(), out.findings.end(),
                     [](const auto& a, const auto& b) { return a.file < b.file; });
    return out;
}

revision::LoadedHistory Side::load() {
    if (auto kept = kept_history()) {
        return std::move(*kept);
    }
    std::optional<revision::LoadedHistory> loaded = derived_history();
    if (!loaded) {
        loaded = revision::load_history(*m_files, m_project.alembic, m_cache_root,
                                        revision::HeaderText::message);
    }
    // Kept for the tree, so that the next commit, whose HEAD this index
    // becomes, starts from it. A link could point outside the folder.
    if (m_cache.enabled() && tree_key() && links_free()) {
        m_cache.put("history", *tree_key(), encode_history(*loaded));
    }
    return std::move(*loaded);
}

const HistorySide& Side::history() {
    if (!m_history) {
        HistorySide side;
        const config::AlembicSettings& alembic = m_project.alembic;
        std::vector<revision::Revision> revisions;
        if (m_files != nullptr && alembic.present) {
            side.present = true;
            // Git keeps no empty folders: a project whose versions folder is
            // still empty has none in its commits, and no revisions yet.
            bool any = false;
            for (const auto& location : alembic.version_locations) {
                any = any || m_files->has_folder(location);
            }
            if (any) {
                revision::LoadedHistory loaded = load();
                revisions = std::move(loaded.revisions);
                side.findings = std::move(loaded.findings);
            }
        }
        side.graph = std::make_unique<revision::Graph>(std::move(revisions));
        const auto& built = side.graph->findings();
        side.findings.insert(side.findings.end(), built.begin(), built.end());
        auto heads = revision::check_heads(*side.graph, m_project.settings.heads);
        side.findings.insert(side.findings.end(), heads.begin(), heads.end());
        m_history = std::move(side);
    }
    return *m_history;
}

std::optional<revision::Revision> Side::revision_in(const std::string& path,
                                                    const std::optional<git::ObjectId>& blob) {
    std::optional<std::string> bytes =
        m_files == nullptr || !blob ? std::nullopt : m_files->read_blob(*blob);
    if (!bytes) {
        return blob ? revision_at(path) : std::nullopt;
    }
    return revision::read_revision(*bytes, path).revision;
}

std::optional<revision::Revision> Side::revision_at(const std::string& path) {
    if (m_history) {
        const revision::Graph& graph = *m_history->graph;
        for (int i = 0; i < static_cast<int>(graph.size()); ++i) {
            if (graph.at(i).path == path) {
                return graph.at(i);
            }
        }
        return std::nullopt;
    }
    std::optional<std::string> bytes = m_files == nullptr ? std::nullopt : m_files->read(path);
    if (!bytes) {
        return std::nullopt;
    }
    return revision::read_revision(*bytes, path).revision;
}

migrate::OpsLoader& Side::ops() {
    if (!m_ops) {
        m_ops = std::make_unique<migrate::OpsLoader>(*m_files, *history().graph);
    }
    return *m_ops;
}

const std::string& Side::history_key() {
    if (!m_history_key) {
        const revision::Graph& graph = *history().graph;
        std::string key(cache_format);
        key.reserve(graph.size() * 96);
        for (int i = 0; i < static_cast<int>(graph.size()); ++i) {
            const std::string& path = graph.at(i).path;
            key += path + "\n" + blob_hex(path) + "\n";
        }
        m_history_key = std::move(key);
    }
    return *m_history_key;
}

const std::optional<std::string>& Side::tree_key() {
    if (!m_tree_key) {
        m_tree_key.emplace();
        const config::AlembicSettings& alembic = m_project.alembic;
        if (m_files == nullptr || !alembic.present || alembic.version_locations.empty()) {
            return *m_tree_key;
        }
        std::string key(cache_format);
        key += alembic.recursive ? "trees, recursive\n" : "trees\n";
        for (const auto& location : alembic.version_locations) {
            std::optional<git::ObjectId> id = m_files->tree_id(location);
            if (!id) {
                return *m_tree_key;
            }
            key += location + "\n" + id->hex() + "\n";
        }
        m_tree_key->emplace(std::move(key));
    }
    return *m_tree_key;
}

bool Side::links_free() {
    std::function<bool(const std::string&)> free = [&](const std::string& dir) {
        auto entries = m_files->list_blobs(dir);
        if (!entries) {
            return true;
        }
        for (const auto& e : *entries) {
            if (!e.entry.target.empty()) {
                return false;
            }
            if (e.entry.type == EntryType::directory && !free(join_path(dir, e.entry.name))) {
                return false;
            }
        }
        return true;
    };
    const auto& locations = m_project.alembic.version_locations;
    return std::all_of(locations.begin(), locations.end(), free);
}

const replay::SymbolicResult* Side::symbolic_if_known() {
    if (m_symbolic || m_files == nullptr) {
        return m_symbolic ? &*m_symbolic : nullptr;
    }
    // By tree ids, the history need not be read to find its replay: the
    // one cached for the index a commit was made from serves the commit.
    if (const auto& key = tree_key()) {
        if (auto bytes = m_cache.get("symbolic", *key)) {
            if (auto decoded = replay::decode_symbolic(*bytes)) {
                m_symbolic = std::move(*decoded);
            }
        }
        // One not cached by tree ids (a link in the folder) may be cached
        // by its files, when they are read already.
        if (m_symbolic || !m_history) {
            return m_symbolic ? &*m_symbolic : nullptr;
        }
    }
    if (history().graph->size() != 0) {
        if (auto bytes = m_cache.get("symbolic", history_key())) {
            if (auto decoded = replay::decode_symbolic(*bytes)) {
                m_symbolic = std::move(*decoded);
            }
        }
    }
    return m_symbolic ? &*m_symbolic : nullptr;
}

const replay::SymbolicResult& Side::symbolic(Side* base, const std::vector<int>& added,
                                             std::size_t base_size) {
    if (symbolic_if_known() != nullptr) {
        return *m_symbolic;
    }
    const revision::Graph& graph = *history().graph;
    if (graph.size() == 0) {
        m_symbolic.emplace();
        return *m_symbolic;
    }
    // Starting from the base's result holds when the base's revisions come
    // first in an upgrade: none of them descends from an added one.
    const replay::SymbolicResult* start = nullptr;
    std::vector<int> order;
    if (base != nullptr && !added.empty() &&
        base_size + added.size() == graph.size()) {
        std::set<int> is_added(added.begin(), added.end());
        bool appended = true;
        for (int a : added) {
            for (int child : graph.all_next(a)) {
                appended = appended && is_added.count(child) != 0U;
            }
        }
        if (appended) {
            start = base->symbolic_if_known();
        }
        if (start != nullptr && start->complete) {
            // Parents first, among the added revisions.
            std::set<int> placed;
            std::function<void(int)> place = [&](int r) {
                if (is_added.count(r) == 0U || !placed.insert(r).second) {
                    return;
                }
                for (int p : graph.normalized_down(r)) {
                    place(p);
                }
                order.push_back(r);
            };
            for (int a : added) {
                place(a);
            }
        } else {
            start = nullptr;
        }
    }
    m_symbolic = start != nullptr
                     ? replay::replay_symbolic_onto(*start, graph, ops(), order, false)
                     : replay::replay_symbolic(graph, ops(), false);
    // A link in the folder could point at a file elsewhere, which its
    // tree id does not name.
    const auto& key = tree_key();
    m_cache.put("symbolic", key && links_free() ? *key : history_key(),
                replay::encode_symbolic(*m_symbolic));
    return *m_symbolic;
}

}  // namespace migcheck::checks
