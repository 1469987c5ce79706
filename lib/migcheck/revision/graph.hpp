#pragma once

#include "migcheck/report/finding.hpp"
#include "migcheck/revision/revision.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace migcheck::revision {

// A revision identifier that cannot be resolved ("No such revision ..."):
// Alembic's ResolutionError / RevisionError, with Alembic's wording.
class ResolutionError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A read-only list of revision positions (a graph's edges from one
// revision): a slice of one array that the graph holds for all revisions.
// Valid as long as the graph; convert to a std::vector to keep or extend it.
class Edges {
  public:
    Edges() = default;
    Edges(const int* begin, const int* end) : m_begin(begin), m_end(end) {}

    const int* begin() const { return m_begin; }
    const int* end() const { return m_end; }
    std::size_t size() const { return static_cast<std::size_t>(m_end - m_begin); }
    bool empty() const { return m_begin == m_end; }
    int operator[](std::size_t k) const { return m_begin[k]; }
    int front() const { return *m_begin; }
    int back() const { return m_end[-1]; }

    std::vector<int> to_vector() const { return {m_begin, m_end}; }
    // Implicit, so that code written when these were std::vector<int> still
    // compiles: it gets the copy it made before.
    operator std::vector<int>() const { return to_vector(); }
    friend bool operator==(Edges a, const std::vector<int>& b) {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

  private:
    const int* m_begin = nullptr;
    const int* m_end = nullptr;
};

// One list of positions for each revision, stored flat: the lists one after
// another in one array, and where each starts in another. Thousands of
// revisions cost two allocations, not one each.
class EdgeTable {
  public:
    EdgeTable() = default;
    // Lists laid out already: list i is items[starts[i]] to items[starts[i + 1]].
    EdgeTable(std::vector<int> starts, std::vector<int> items)
        : m_starts(std::move(starts)), m_items(std::move(items)) {}

    Edges operator[](std::size_t i) const {
        return {m_items.data() + m_starts[i], m_items.data() + m_starts[i + 1]};
    }
    // Building, one revision after another: add() to the current one, then
    // close() it.
    void reserve(std::size_t revisions, std::size_t edges) {
        m_starts.reserve(revisions + 1);
        m_items.reserve(edges);
    }
    void add(int x) { m_items.push_back(x); }
    void close() { m_starts.push_back(static_cast<int>(m_items.size())); }
    // Whether the list being built already holds `x`.
    bool open_contains(int x) const {
        return std::find(m_items.begin() + m_starts.back(), m_items.end(), x) != m_items.end();
    }
    std::size_t edges() const { return m_items.size(); }

  private:
    std::vector<int> m_starts{0};
    std::vector<int> m_items;
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
    Edges next(int i) const { return m_next[static_cast<std::size_t>(i)]; }
    Edges all_next(int i) const { return m_all_next[static_cast<std::size_t>(i)]; }
    // Parents through down_revision (known ones), and resolved dependencies.
    Edges down(int i) const { return m_down[static_cast<std::size_t>(i)]; }
    Edges dependencies(int i) const { return m_deps[static_cast<std::size_t>(i)]; }
    // Alembic's _normalized_down_revisions: parents plus dependencies that no
    // ancestor already depends on.
    Edges normalized_down(int i) const { return m_norm_down[static_cast<std::size_t>(i)]; }

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
        // Descendants share their labels: each distinct list is kept once.
        return m_label_sets[m_label_set_of.empty() ? 0
                                                   : m_label_set_of[static_cast<std::size_t>(i)]];
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
    // Calls seen(i, first) for each revision in order, `first` the earlier
    // one with its id or -1, and indexes the first of each id.
    template <class Seen>
    void index_ids(Seen seen);
    void link();
    void link_children();
    void find_cycles();
    void normalize_dependencies();
    void propagate_labels();
    std::vector<int> topological(const std::vector<char>& todo, const std::vector<int>& heads) const;
    std::optional<int> walk(std::optional<int> start, int steps, const std::string& label) const;
    std::vector<int> resolve_one(const std::string& id, const std::string& label) const;
    bool shares_lineage(int target, const std::vector<int>& against) const;

    std::vector<Revision> m_revs;
    std::vector<int> m_slots;  // the id index: positions in m_revs, -1 when free
    std::map<std::string, int> m_label_index;
    EdgeTable m_next, m_all_next, m_down, m_deps, m_norm_down;
    std::vector<std::vector<std::string>> m_label_sets{{}};  // [0] is no label
    std::vector<std::uint32_t> m_label_set_of;  // by revision; empty when no labels at all
    std::vector<Finding> m_findings;
};

// Finds heads problems: more than one head where the project expects one per
// branch label (or `expected` heads when the configuration says so).
std::vector<Finding> check_heads(const Graph& graph, std::optional<int> expected);

}  // namespace migcheck::revision
