#include "migcheck/cli/divergence.hpp"

#include "migcheck/util/text.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace migcheck::cli {
namespace {

using revision::Graph;
using revision::Revision;

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += i == 0 ? "" : i + 1 == items.size() ? " and " : ", ";
        out += items[i];
    }
    return out;
}

std::string where(const Revision& r) { return r.path + ":" + std::to_string(r.down_line); }

Finding on_branch(Finding f, const std::string& branch, const char* joint) {
    f.message = "on branch " + quoted(branch) + joint + f.message;
    return f;
}

// One branch's history: the base's revisions it still has, and its own.
class BranchView {
  public:
    BranchView(const Graph& base, const BranchRevisions& in) : m_base(base), m_in(in) {
        for (std::size_t k = 0; k < in.changed.size(); ++k) {
            m_by_id[in.changed[k].id].push_back(k);
            for (const auto& p : in.changed[k].down_revisions) {
                m_children[p].push_back(k);
            }
        }
    }

    // The heads of the branch's history, counted from the base's graph and
    // the branch's changes without building a graph: a base revision can
    // only become a head if it is one in the base or lost a child. Sets
    // `doubtful` when only a built graph can tell (an id twice, a missing
    // parent, a moved base revision, labels or dependencies, a cycle).
    // `base_heads` are the base's (Graph::heads()).
    std::vector<std::string> quick_heads(const std::vector<int>& base_heads, bool& doubtful) const {
        std::set<std::string> heads;
        // A stale branch lacks thousands of the base's revisions, each of
        // whose parents is looked at: a flag per revision, not a search.
        std::vector<char> gone(m_base.size(), 0);
        for (int i : m_in.removed) {
            gone[static_cast<std::size_t>(i)] = 1;
        }
        auto here = [&](int i) { return gone[static_cast<std::size_t>(i)] == 0; };
        auto has_present_child = [&](int i) {
            const auto next = m_base.next(i);
            return std::any_of(next.begin(), next.end(), [&](int c) { return here(c); });
        };
        std::vector<int> candidates = base_heads;
        for (int i : m_in.removed) {
            for (int p : m_base.down(i)) {
                candidates.push_back(p);
            }
        }
        for (int c : candidates) {
            const std::string& id = m_base.at(c).id;
            if (here(c) && !has_present_child(c) && m_children.count(id) == 0) {
                heads.insert(id);
            }
        }
        for (const Revision& r : m_in.changed) {
            auto j = m_base.find(r.id);
            // An id twice, or a base revision moved onto other parents
            // (which can close a cycle through the base).
            if (m_by_id.at(r.id).size() > 1 ||
                (j && (here(*j) || m_base.at(*j).down_revisions != r.down_revisions))) {
                doubtful = true;
            }
            // Labels and dependencies are resolved by the graph only.
            if (!r.branch_labels.empty() || !r.depends_on.empty()) {
                doubtful = true;
            }
            for (const auto& p : r.down_revisions) {
                auto i = m_base.find(p);
                if (m_by_id.count(p) == 0 && !(i && here(*i))) {
                    doubtful = true;  // a missing parent, which the graph names
                }
            }
            if (m_children.count(r.id) == 0 && !(j && has_present_child(*j))) {
                heads.insert(r.id);
            }
        }
        if (has_cycle() || (heads.empty() && (!m_in.changed.empty() ||
                                              m_base.size() > m_in.removed.size()))) {
            doubtful = true;
        }
        return {heads.begin(), heads.end()};
    }

    // The heads that revision k of `changed` leads to through the branch's
    // own revisions.
    std::set<std::string> tips(std::size_t k) const {
        std::set<std::string> out;
        std::set<std::size_t> seen{k};
        std::vector<std::size_t> todo{k};
        while (!todo.empty()) {
            std::size_t at = todo.back();
            todo.pop_back();
            auto it = m_children.find(m_in.changed[at].id);
            if (it == m_children.end()) {
                out.insert(m_in.changed[at].id);
                continue;
            }
            for (std::size_t c : it->second) {
                if (seen.insert(c).second) {
                    todo.push_back(c);
                }
            }
        }
        return out;
    }

  private:
    // Whether the branch's own revisions form a cycle through their parents.
    bool has_cycle() const {
        std::vector<char> state(m_in.changed.size(), 0);  // 0 new, 1 on the path, 2 done
        for (std::size_t start = 0; start < state.size(); ++start) {
            if (state[start] != 0) {
                continue;
            }
            // (revision, next parent to look at)
            std::vector<std::pair<std::size_t, std::size_t>> path{{start, 0}};
            state[start] = 1;
            while (!path.empty()) {
                auto& [k, next] = path.back();
                const auto& downs = m_in.changed[k].down_revisions;
                if (next == downs.size()) {
                    state[k] = 2;
                    path.pop_back();
                    continue;
                }
                auto it = m_by_id.find(downs[next++]);
                if (it == m_by_id.end()) {
                    continue;
                }
                std::size_t p = it->second.front();
                if (state[p] == 1) {
                    return true;
                }
                if (state[p] == 0) {
                    state[p] = 1;
                    path.emplace_back(p, 0);
                }
            }
        }
        return false;
    }

    const Graph& m_base;
    const BranchRevisions& m_in;
    std::unordered_map<std::string, std::vector<std::size_t>> m_by_id;
    std::unordered_map<std::string, std::vector<std::size_t>> m_children;  // by parent id
};

std::vector<std::string> ids_of(const Graph& g, const std::vector<int>& positions) {
    std::vector<std::string> out;
    for (int i : positions) {
        out.push_back(g.at(i).id);
    }
    return out;
}

// Builds the branch's whole graph: its problems in the branch's own files,
// and the heads rule.
void check_branch_graph(const Graph& base, const BranchRevisions& in,
                        const std::vector<std::string>& base_heads,
                        std::optional<int> expected, BranchSummary& summary,
                        std::vector<Finding>& out) {
    std::vector<Revision> revs;
    revs.reserve(base.size() + in.changed.size());
    for (std::size_t i = 0; i < base.size(); ++i) {
        if (!std::binary_search(in.removed.begin(), in.removed.end(), static_cast<int>(i))) {
            revs.push_back(base.at(static_cast<int>(i)));
        }
    }
    revs.insert(revs.end(), in.changed.begin(), in.changed.end());
    std::set<std::string> files;
    for (const auto& r : in.changed) {
        files.insert(r.path);
    }
    Graph g(std::move(revs));
    for (const auto& f : g.findings()) {
        if (files.count(f.file) != 0) {
            out.push_back(on_branch(f, in.name, ": "));
        }
    }
    std::vector<int> heads = g.heads();
    summary.heads = ids_of(g, heads);
    // The base's own heads problem is the first form's to report, once.
    if (summary.heads == base_heads) {
        return;
    }
    for (auto f : revision::check_heads(g, expected)) {
        f.code = "branch-multiple-heads";
        f = on_branch(std::move(f), in.name, ", ");
        // At one of the branch's own heads, where the fix goes.
        for (auto h = heads.rbegin(); h != heads.rend(); ++h) {
            if (files.count(g.at(*h).path) != 0) {
                f.file = g.at(*h).path;
                f.line = g.at(*h).line;
                f.column = 1;
                break;
            }
        }
        out.push_back(std::move(f));
    }
}

Finding stale_parent(const Graph& base, const std::vector<int>& base_heads,
                     const std::string& base_name, const BranchRevisions& in,
                     const Revision& r, int parent) {
    std::vector<char> below = base.descendants({parent}, false);
    std::vector<std::string> after;
    for (int h : base_heads) {
        if (below[static_cast<std::size_t>(h)] != 0) {
            after.push_back(base.at(h).id);
        }
    }
    const std::string& p = base.at(parent).id;
    std::string fix;
    if (after.size() != 1) {
        fix = "set its down_revision to the head it belongs after, in " + r.path;
    } else if (r.down_revisions.size() == 1) {
        fix = "set down_revision = " + quoted(after[0]) + " in " + r.path;
    } else {
        fix = "replace " + quoted(p) + " with " + quoted(after[0]) + " in its down_revision, in " +
              r.path;
    }
    return Finding{Severity::error, "stale-parent", r.path, r.down_line, 1,
                   "on branch " + quoted(in.name) + ", revision " + r.id + " revises " + p +
                       ", which " +
                       quoted(base_name) + " has moved past (" +
                       (after.size() == 1 ? "its head is " + after[0]
                                          : "its heads after it are " + text::join(after, ", ")) +
                       "): merged as it is, it adds a head to " + quoted(base_name) + "; rebase " +
                       quoted(in.name) +
                       " onto " + quoted(base_name) + " and " + fix};
}

struct Member {
    std::size_t branch;
    std::size_t k;  // in the branch's `changed`
};

// Several branches add different revisions on one parent.
std::optional<Finding> parallel(const std::string& parent, const std::vector<Member>& members,
                                const std::vector<BranchRevisions>& branches,
                                const std::vector<BranchView>& views) {
    struct Added {
        std::vector<std::string> branches;
        const Revision* rev = nullptr;
        std::set<std::string> tips;
    };
    std::map<std::string, Added> by_id;
    std::set<std::string> names;
    for (const auto& m : members) {
        const BranchRevisions& b = branches[m.branch];
        Added& a = by_id[b.changed[m.k].id];
        if (a.rev == nullptr) {
            a.rev = &b.changed[m.k];
        }
        a.branches.push_back(quoted(b.name));
        auto t = views[m.branch].tips(m.k);
        a.tips.insert(t.begin(), t.end());
        names.insert(quoted(b.name));
    }
    if (by_id.size() < 2 || names.size() < 2) {
        return std::nullopt;
    }
    std::vector<std::string> parts;
    std::set<std::string> tips;
    for (auto& [id, a] : by_id) {
        std::sort(a.branches.begin(), a.branches.end());
        a.branches.erase(std::unique(a.branches.begin(), a.branches.end()), a.branches.end());
        parts.push_back(id + " on " + and_list(a.branches) + " (" + where(*a.rev) + ")");
        tips.insert(a.tips.begin(), a.tips.end());
    }
    std::string merge = "alembic merge -m \"merge heads\" " +
                        text::join(std::vector<std::string>(tips.begin(), tips.end()), " ");
    std::string message = "branches " + and_list({names.begin(), names.end()}) + " add " +
                          (by_id.size() == 2 ? std::string("two")
                                             : std::to_string(by_id.size())) +
                          " different revisions on " + parent + ": " + text::join(parts, ", ");
    if (by_id.size() == 2) {
        const Added& x = by_id.begin()->second;
        const Added& y = std::next(by_id.begin())->second;
        message += "; the second to merge leaves two heads: rebase it and set down_revision = " +
                   quoted(*x.tips.begin()) + " in " + y.rev->path + " on " +
                   and_list(y.branches) + " (or " + quoted(*y.tips.begin()) + " in " +
                   x.rev->path + " on " + and_list(x.branches) +
                   "), or, once both are merged, write a merge revision: " + merge;
    } else {
        message += "; each one merged after the first leaves another head: rebase each onto "
                   "the one merged before it, setting the down_revision of its first new "
                   "revision to that one's head, or, once all are merged, write a merge "
                   "revision: " + merge;
    }
    const Revision& first = *by_id.begin()->second.rev;
    return Finding{Severity::error, "parallel-revisions", first.path, first.down_line, 1,
                   std::move(message)};
}

}  // namespace

Divergence find_divergence(const Graph& base, const std::string& base_name,
                           const std::vector<BranchRevisions>& branches,
                           std::optional<int> expected_heads) {
    Divergence out;
    const std::vector<int> base_head_positions = base.heads();
    const std::vector<std::string> base_heads = ids_of(base, base_head_positions);
    std::vector<BranchView> views;
    views.reserve(branches.size());
    std::map<std::string, std::vector<Member>> by_parent;
    for (std::size_t b = 0; b < branches.size(); ++b) {
        const BranchRevisions& in = branches[b];
        const BranchView& view = views.emplace_back(base, in);
        BranchSummary summary;
        for (const auto& f : in.unreadable) {
            out.findings.push_back(on_branch(f, in.name, ": "));
        }
        bool doubtful = false;
        summary.heads = view.quick_heads(base_head_positions, doubtful);
        bool fails = expected_heads ? static_cast<int>(summary.heads.size()) != *expected_heads
                                    : summary.heads.size() > 1;
        if (doubtful || fails) {
            check_branch_graph(base, in, base_heads, expected_heads, summary, out.findings);
        }
        for (std::size_t k = 0; k < in.changed.size(); ++k) {
            const Revision& r = in.changed[k];
            if (base.find(r.id)) {
                continue;
            }
            summary.added.push_back(k);
            if (!r.branch_labels.empty()) {
                continue;
            }
            for (const auto& p : r.down_revisions) {
                by_parent[p].push_back(Member{b, k});
                auto i = base.find(p);
                if (i && !base.next(*i).empty()) {
                    out.findings.push_back(
                        stale_parent(base, base_head_positions, base_name, in, r, *i));
                }
            }
        }
        out.branches.push_back(std::move(summary));
    }
    for (const auto& [parent, members] : by_parent) {
        if (auto f = parallel(parent, members, branches, views)) {
            out.findings.push_back(std::move(*f));
        }
    }
    return out;
}

}  // namespace migcheck::cli
