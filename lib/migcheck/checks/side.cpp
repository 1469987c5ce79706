#include "migcheck/checks/side.hpp"

#include "migcheck/models/glob.hpp"
#include "migcheck/revision/loader.hpp"
#include "migcheck/schema/yaml_loader.hpp"

namespace migcheck::checks {

Side::Side(const git::GitFiles* files, config::Project project, std::string cache_root)
    : m_files(files), m_project(std::move(project)), m_cache_root(std::move(cache_root)) {}

std::string Side::description() const {
    return m_files == nullptr ? std::string("no commit yet") : m_files->description();
}

const std::optional<std::string>& Side::schema_text() {
    if (!m_schema_text) {
        m_schema_text.emplace(m_files == nullptr ? std::nullopt
                                                 : m_files->read(m_project.settings.schema));
    }
    return *m_schema_text;
}

const std::optional<schema::Schema>& Side::declared() {
    if (!m_declared) {
        const auto& text = schema_text();
        m_declared.emplace(text ? std::optional<schema::Schema>(
                                      schema::load_schema_yaml(*text, m_project.settings.schema))
                                : std::nullopt);
    }
    return *m_declared;
}

const ModelsSide& Side::models() {
    if (!m_models) {
        ModelsSide side;
        if (m_files != nullptr) {
            // Tracked files only: what git ignores is not in a commit or the
            // index at all.
            side.paths = models::find_model_files(*m_files, m_project.settings.models);
            std::vector<models::SourceFile> sources;
            for (const auto& path : side.paths) {
                if (std::optional<std::string> bytes = m_files->read(path)) {
                    sources.push_back(models::SourceFile{path, std::move(*bytes)});
                }
            }
            if (!sources.empty()) {
                side.read = models::read_models(sources);
            }
        }
        m_models = std::move(side);
    }
    return *m_models;
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
                any = any || m_files->list(location).has_value();
            }
            if (any) {
                revision::LoadedHistory loaded = revision::load_history(
                    *m_files, alembic, m_cache_root, revision::HeaderText::message);
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

migrate::OpsLoader& Side::ops() {
    if (!m_ops) {
        m_ops = std::make_unique<migrate::OpsLoader>(*m_files, *history().graph);
    }
    return *m_ops;
}

const replay::SymbolicResult& Side::symbolic() {
    if (!m_symbolic) {
        const HistorySide& h = history();
        if (h.graph->size() == 0) {
            m_symbolic.emplace();
        } else {
            m_symbolic = replay::replay_symbolic(*h.graph, ops(), false);
        }
    }
    return *m_symbolic;
}

}  // namespace migcheck::checks
