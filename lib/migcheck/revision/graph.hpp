#pragma once

#include "migcheck/report/finding.hpp"
#include "migcheck/revision/revision.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace migcheck::revision {

// A revision identifier that cannot be resolved ("No such revision ..."):
// Alembic's ResolutionError / RevisionError, with Alembic's wording.
class ResolutionError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The revision graph, with Alembic's RevisionMap semantics. Pure: built from
// revisions in load order, no I/O. Problems become findings; a broken edge
// (unknown parent, cycle member) is left out so that every query terminates.
class Graph {
  public:
    explicit Graph(std::vector<Revision> revisions);

    std::size_t size() const { return m_revs.size(); }
    const Revision& at(int i) const { return m_revs[static_cast<std::size_t>(i)]; }
    const std::vector<Finding>& findings() const { return m_findings; }
    std::optional<int> find(const std::string& id) const;

    // Children through down_revision, and through down_revision or depends_on.
    const std::vector<int>& next(int i) const { return m_next[static_cast<std::size_t>(i)]; }
    const std::vector<int>& all_next(int i) const { return m_all_next[static_cast<std::size_t>(i)]; }
    // Parents through down_revision (known ones), and resolved dependencies.
    const std::vector<int>& down(int i) const { return m_down[static_cast<std::size_t>(i)]; }
    const std::vector<int>& dependencies(int i) const { return m_deps[static_cast<std::size_t>(i)]; }
    // Alembic's _normalized_down_revisions: parents plus dependencies that no
    // ancestor already depends on.
    const std::vector<int>& normalized_down(int i) const {
        // Filled only for revisions with dependencies; otherwise the parents.
        return m_deps[static_cast<std::size_t>(i)].empty() ? m_down[static_cast<std::size_t>(i)]
                                                           : m_norm_down[static_cast<std::size_t>(i)];
    }

    bool is_head(int i) const { return next(i).empty(); }
    bool is_real_head(int i) const { return all_next(i).empty(); }
    bool is_branch_point(int i) const { return next(i).size() > 1; }
    bool is_merge_point(int i) const { return at(i).down_revisions.size() > 1; }

    // `alembic heads`: every head through down_revision (effective heads
    // included), sorted by id.
    std::vector<int> heads() const;
    // Heads with no child of either kind, in load order (Alembic's _real_heads).
    std::vector<int> real_heads() const;
    // The branch labels each revision carries, declared or inherited.
    const std::vector<std::string>& labels(int i) const {
        return m_labels[static_cast<std::size_t>(i)];
    }

    // Resolves a revision identifier as Alembic's get_revisions does: an id,
    // a unique prefix of four or more characters, head, heads, base,
    // label@head, label@base, label@id, and symbol+N / symbol-N. Returns the
    // revisions (empty for base). Throws ResolutionError.
    std::vector<int> resolve(const std::string& ident) const;

    // The revisions of `history -r lower:upper` (empty strings mean base and
    // heads), newest first, in Alembic's order. Throws ResolutionError.
    std::vector<int> history(const std::string& lower, const std::string& upper) const;

    // Ancestors of the targets (targets included), through normalized_down.
    std::vector<char> ancestors(const std::vector<int>& targets, bool with_deps) const;
    // Descendants of the targets (targets included).
    std::vector<char> descendants(const std::vector<int>& targets, bool with_deps) const;

  private:
    void link();
    void find_cycles();
    void normalize_dependencies();
    void propagate_labels();
    std::vector<int> topological(const std::vector<char>& todo, const std::vector<int>& heads) const;
    std::optional<int> walk(std::optional<int> start, int steps, const std::string& label) const;
    std::vector<int> resolve_one(const std::string& id, const std::string& label) const;
    bool shares_lineage(int target, const std::vector<int>& against) const;

    std::vector<Revision> m_revs;
    std::unordered_map<std::string, int> m_index;
    std::map<std::string, int> m_label_index;
    std::vector<std::vector<int>> m_next, m_all_next, m_down, m_deps, m_norm_down;
    std::vector<std::vector<std::string>> m_labels;
    std::vector<Finding> m_findings;
};

// Finds heads problems: more than one head where the project expects one per
// branch label (or `expected` heads when the configuration says so).
std::vector<Finding> check_heads(const Graph& graph, std::optional<int> expected);

}  // namespace migcheck::revision
