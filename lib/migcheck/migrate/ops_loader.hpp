#pragma once

#include "migcheck/ops/ops.hpp"
#include "migcheck/revision/graph.hpp"
#include "migcheck/util/file_source.hpp"

#include <map>
#include <memory>

namespace migcheck::migrate {

// Reads the operations of revision files on first use and keeps them: most
// commands touch a few revisions of a long history.
class OpsLoader {
  public:
    OpsLoader(const FileSource& files, const revision::Graph& graph)
        : m_files(files), m_graph(graph) {}

    // The operations of the revision at graph index `revision`. A file that
    // cannot be read gives bodies that are not interpretable, saying why.
    const ops::RevisionOps& get(int revision);

    // Reads the given revisions' files now, on every core, so that later
    // get() calls find them ready.
    void preload(const std::vector<int>& revisions);

  private:
    const FileSource& m_files;
    const revision::Graph& m_graph;
    std::map<int, std::unique_ptr<ops::RevisionOps>> m_loaded;
};

}  // namespace migcheck::migrate
