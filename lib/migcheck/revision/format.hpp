#pragma once

#include "migcheck/revision/graph.hpp"

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace migcheck::revision {

// One `alembic history` line: "<down> -> <rev> (labels) (head), message".
std::string history_line(const Graph& g, int i);
// The same, appended to `out` (no newline): thousands of lines build one
// string, not one each.
void append_history_line(std::string& out, const Graph& g, int i);
// One `alembic heads` line: "<rev> (labels) (head)" or "(effective head)".
std::string heads_line(const Graph& g, int i);
void append_heads_line(std::string& out, const Graph& g, int i);
// Alembic's --verbose block for a revision; `root` makes the Path absolute.
std::string verbose_entry(const Graph& g, int i, const std::string& root);

// A revision as JSON: id, parents, labels, dependencies, message, file and
// line, and its place in the graph.
nlohmann::json revision_json(const Graph& g, int i);

}  // namespace migcheck::revision
