#pragma once

#include "migcheck/cli/tool.hpp"
#include "migcheck/revision/graph.hpp"

#include <vector>

namespace migcheck::cli {

// The history of a project's working tree as a graph, with the findings of
// reading the files and building the graph (severities applied, sorted).
struct LoadedGraph {
    revision::Graph graph;
    std::vector<Finding> findings;
    std::vector<std::string> files;  // kept only so as not to free them
};

// Loads it once per process. The history lives until the process ends, a
// moment after the command: freeing thousands of small strings one by one
// would take longer than reading them from the cache. It stays reachable, so
// leak checkers are quiet. `text` is the header text the command shows.
LoadedGraph& load_graph(const Context& ctx,
                        revision::HeaderText text = revision::HeaderText::all);

}  // namespace migcheck::cli
