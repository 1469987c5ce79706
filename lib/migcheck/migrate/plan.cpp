#include "migcheck/migrate/plan.hpp"

#include "migcheck/util/error.hpp"

#include <algorithm>
#include <cctype>
#include <functional>

namespace migcheck::migrate {
namespace {

using revision::Graph;
using revision::ResolutionError;

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
}

// "X+N" or "X-N" (X may be empty or label@X): the symbol and the signed
// number of steps, or nothing.
bool split_relative(const std::string& target, std::string& symbol, int& steps) {
    auto sign = target.find_last_of("+-");
    if (sign == std::string::npos || !all_digits(target.substr(sign + 1))) {
        return false;
    }
    symbol = target.substr(0, sign);
    steps = std::stoi(target.substr(sign + 1));
    if (target[sign] == '-') {
        steps = -steps;
    }
    return true;
}

// One revision, or none for base, that `current` stands for in a relative
// target.
std::optional<int> single_current(const std::vector<int>& current, const std::string& target) {
    if (current.size() > 1) {
        throw ResolutionError("Ambiguous relative target '" + target +
                              "' from multiple current revisions; give label@" + target +
                              " or a revision id");
    }
    return current.empty() ? std::nullopt : std::optional<int>(current[0]);
}

// Walks `steps` revisions up (positive) or down from `start` (nothing is
// base); Alembic's "Relative revision ... didn't produce N migrations" when
// the walk runs off either end, "Ambiguous walk" at a fork.
std::optional<int> walk(const Graph& graph, std::optional<int> start, int steps,
                        const std::string& target, const std::vector<int>& lineage_of = {}) {
    // On a branch, a fork is no choice: only the children in the lineage of
    // the revision that declares the label count.
    std::vector<char> up;
    std::vector<char> down;
    if (!lineage_of.empty()) {
        up = graph.ancestors(lineage_of, false);
        down = graph.descendants(lineage_of, false);
    }
    std::optional<int> cur = start;
    for (int s = 0; s < std::abs(steps); ++s) {
        std::vector<int> choices;
        if (steps > 0) {
            if (cur) {
                choices = graph.next(*cur);
            } else {
                for (std::size_t i = 0; i < graph.size(); ++i) {
                    if (graph.at(static_cast<int>(i)).down_revisions.empty()) {
                        choices.push_back(static_cast<int>(i));
                    }
                }
            }
        } else if (cur) {
            choices = graph.down(*cur);
            if (choices.empty()) {
                cur = std::nullopt;  // stepped down to base
                continue;
            }
        }
        if (!lineage_of.empty()) {
            std::erase_if(choices, [&](int c) {
                return up[static_cast<std::size_t>(c)] == 0 && down[static_cast<std::size_t>(c)] == 0;
            });
        }
        if (choices.empty()) {
            throw ResolutionError("Relative revision " + target + " didn't produce " +
                                  std::to_string(std::abs(steps)) + " migrations");
        }
        if (choices.size() > 1) {
            throw ResolutionError("Ambiguous walk from " + graph.at(cur ? *cur : choices[0]).id +
                                  " for relative target " + target);
        }
        cur = choices[0];
    }
    return cur;
}

std::vector<int> relative_targets(const Graph& graph, const std::vector<int>& current,
                                  const std::string& target, bool up) {
    std::string symbol;
    int steps = 0;
    if (!split_relative(target, symbol, steps)) {
        return up ? graph.resolve(target.empty() ? "heads" : target) : graph.resolve(target);
    }
    if ((steps > 0) != up) {
        throw ResolutionError(std::string("relative target ") + target + (up ? " goes down; use downgrade" : " goes up; use upgrade"));
    }
    std::optional<int> start;
    std::vector<int> lineage_of;
    if (symbol.empty()) {
        start = single_current(current, target);
    } else if (symbol.back() == '@') {
        // label@-1: from the current revision on that branch.
        std::string label = symbol.substr(0, symbol.size() - 1);
        std::vector<int> on_branch;
        for (int c : current) {
            const auto& labels = graph.labels(c);
            if (std::find(labels.begin(), labels.end(), label) != labels.end()) {
                on_branch.push_back(c);
            }
        }
        if (on_branch.empty()) {
            // Nothing applied carries the label yet: start from what is
            // applied below the revision that declares it, and walk along
            // that lineage.
            std::vector<int> declared = graph.resolve(label);
            std::vector<char> below = graph.ancestors(declared, false);
            std::vector<char> applied = graph.ancestors(current, false);
            for (std::size_t i = 0; i < below.size(); ++i) {
                if (below[i] != 0 && applied[i] != 0) {
                    on_branch.push_back(static_cast<int>(i));
                }
            }
            // The highest applied revision on that lineage.
            std::erase_if(on_branch, [&](int c) {
                for (int d : graph.next(c)) {
                    if (std::find(on_branch.begin(), on_branch.end(), d) != on_branch.end()) {
                        return true;
                    }
                }
                return false;
            });
            if (on_branch.empty() && steps < 0) {
                throw ResolutionError("No current revision on branch '" + label + "'");
            }
            lineage_of = declared;
        }
        start = single_current(on_branch, target);
    } else {
        std::vector<int> s = graph.resolve(symbol);
        if (s.size() > 1) {
            throw ResolutionError("Ambiguous walk: '" + symbol + "' names several revisions");
        }
        if (!s.empty()) {
            start = s[0];
        }
    }
    std::optional<int> end = walk(graph, start, steps, target, lineage_of);
    return end ? std::vector<int>{*end} : std::vector<int>{};
}

// Parents and dependencies before children: a depth-first post-order from
// each root of `todo`, in id order, so the plan is the same on every run.
std::vector<int> parents_first(const Graph& graph, const std::vector<char>& todo) {
    std::vector<int> order;
    std::vector<char> seen(graph.size(), 0);
    std::vector<int> ids;
    for (std::size_t i = 0; i < todo.size(); ++i) {
        if (todo[i] != 0) {
            ids.push_back(static_cast<int>(i));
        }
    }
    std::sort(ids.begin(), ids.end(),
              [&](int a, int b) { return graph.at(a).id < graph.at(b).id; });
    // Iterative, so that a 10,000-revision line does not exhaust the stack.
    std::vector<std::pair<int, std::size_t>> stack;
    auto parents = [&](int r) {
        std::vector<int> p = graph.down(r);
        const auto& deps = graph.dependencies(r);
        p.insert(p.end(), deps.begin(), deps.end());
        return p;
    };
    for (int root : ids) {
        if (seen[static_cast<std::size_t>(root)] != 0) {
            continue;
        }
        seen[static_cast<std::size_t>(root)] = 1;
        stack.emplace_back(root, 0);
        while (!stack.empty()) {
            auto& [node, k] = stack.back();
            std::vector<int> ps = parents(node);
            if (k < ps.size()) {
                int p = ps[k++];
                if (todo[static_cast<std::size_t>(p)] != 0 && seen[static_cast<std::size_t>(p)] == 0) {
                    seen[static_cast<std::size_t>(p)] = 1;
                    stack.emplace_back(p, 0);
                }
                continue;
            }
            order.push_back(node);
            stack.pop_back();
        }
    }
    return order;
}

std::vector<std::string> ids_of(const Graph& graph, const std::vector<int>& revs) {
    std::vector<std::string> out;
    for (int r : revs) {
        out.push_back(graph.at(r).id);
    }
    return out;
}

std::vector<int> indexes_of(const Graph& graph, const std::set<std::string>& ids) {
    std::vector<int> out;
    for (const auto& id : ids) {
        if (auto i = graph.find(id)) {
            out.push_back(*i);
        }
    }
    return out;
}

// Alembic's _normalized_down_revisions, as ids.
std::vector<std::string> down_ids(const Graph& graph, int rev) {
    return ids_of(graph, graph.normalized_down(rev));
}

// `ids` minus the ancestors of every head other than `except`.
std::vector<std::string> not_under_other_heads(const Graph& graph, const std::vector<std::string>& ids,
                                               const std::set<std::string>& heads,
                                               const std::set<std::string>& except) {
    std::set<std::string> others;
    for (const auto& h : heads) {
        if (except.count(h) == 0) {
            others.insert(h);
        }
    }
    if (others.empty()) {
        return ids;
    }
    std::vector<char> anc = graph.ancestors(indexes_of(graph, others), true);
    std::vector<std::string> out;
    for (const auto& id : ids) {
        auto i = graph.find(id);
        if (!i || anc[static_cast<std::size_t>(*i)] == 0) {
            out.push_back(id);
        }
    }
    return out;
}

}  // namespace

std::vector<int> current_revisions(const Graph& graph, const std::vector<std::string>& rows) {
    std::vector<int> out;
    for (const auto& row : rows) {
        auto i = graph.find(row);
        if (!i) {
            throw usage_error("the database is at revision '" + row +
                              "', which no revision file declares; restore its file, or set the "
                              "database's revision with `manage_migrations stamp --purge "
                              "REVISION`");
        }
        out.push_back(*i);
    }
    std::sort(out.begin(), out.end(),
              [&](int a, int b) { return graph.at(a).id < graph.at(b).id; });
    return out;
}

std::vector<int> all_current(const Graph& graph, const std::vector<int>& rows) {
    std::vector<char> in = graph.ancestors(rows, true);
    std::vector<int> out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == 0) {
            continue;
        }
        // A tip: no other member descends from it through down_revision.
        // The set holds every ancestor of its members, so a descendant in it
        // means a child in it.
        bool tip = true;
        for (int child : graph.next(static_cast<int>(i))) {
            tip = tip && in[static_cast<std::size_t>(child)] == 0;
        }
        if (tip) {
            out.push_back(static_cast<int>(i));
        }
    }
    std::sort(out.begin(), out.end(),
              [&](int a, int b) { return graph.at(a).id < graph.at(b).id; });
    return out;
}

std::vector<int> upgrade_targets(const Graph& graph, const std::vector<int>& current,
                                 const std::string& target) {
    return relative_targets(graph, current, target, true);
}

std::vector<int> downgrade_targets(const Graph& graph, const std::vector<int>& current,
                                   const std::string& target) {
    return relative_targets(graph, current, target, false);
}

std::vector<Step> plan_upgrade(const Graph& graph, const std::vector<int>& current,
                               const std::vector<int>& targets) {
    std::vector<char> need = graph.ancestors(targets, true);
    std::vector<char> have = graph.ancestors(current, true);
    for (std::size_t i = 0; i < need.size(); ++i) {
        need[i] = static_cast<char>(need[i] != 0 && have[i] == 0);
    }
    std::vector<Step> steps;
    for (int r : parents_first(graph, need)) {
        steps.push_back({r, true});
    }
    return steps;
}

std::string target_branch(const std::string& target) {
    auto at_sign = target.find('@');
    return at_sign == std::string::npos ? std::string() : target.substr(0, at_sign);
}

std::vector<Step> plan_downgrade(const Graph& graph, const std::vector<int>& all_current,
                                 const std::vector<int>& targets, const std::string& branch) {
    std::vector<int> current = all_current;
    if (!branch.empty()) {
        std::erase_if(current, [&](int c) {
            const auto& labels = graph.labels(c);
            return std::find(labels.begin(), labels.end(), branch) == labels.end();
        });
    }
    std::vector<char> have = graph.ancestors(current, true);
    // A target must be below the database along down_revision, as Alembic
    // requires; a dependency alone does not make it one.
    std::vector<char> lineage = graph.ancestors(current, false);
    for (int t : targets) {
        if (lineage[static_cast<std::size_t>(t)] == 0) {
            throw ResolutionError("Destination " + graph.at(t).id +
                                  " is not a valid downgrade target from current head(s)");
        }
    }
    std::vector<char> keep = graph.ancestors(targets, true);
    std::vector<char> remove(graph.size(), 0);
    std::vector<char> below = targets.empty() ? std::vector<char>(graph.size(), 1)
                                              : graph.descendants(targets, true);
    for (std::size_t i = 0; i < remove.size(); ++i) {
        remove[i] = static_cast<char>(have[i] != 0 && below[i] != 0 && keep[i] == 0);
    }
    std::vector<int> order = parents_first(graph, remove);
    std::vector<Step> steps;
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        steps.push_back({*it, false});
    }
    return steps;
}

std::vector<RowChange> version_changes(const Graph& graph, const Step& step,
                                       std::set<std::string>& heads) {
    const std::string& rev = graph.at(step.revision).id;
    std::vector<std::string> downs = down_ids(graph, step.revision);
    std::vector<RowChange> out;
    auto insert = [&](const std::string& v) {
        heads.insert(v);
        out.push_back({RowChange::Kind::insert, "", v});
    };
    auto remove = [&](const std::string& v) {
        heads.erase(v);
        out.push_back({RowChange::Kind::remove, v, ""});
    };
    auto update = [&](const std::string& from, const std::string& to) {
        heads.erase(from);
        heads.insert(to);
        out.push_back({RowChange::Kind::update, from, to});
    };
    std::size_t downs_in_heads = static_cast<std::size_t>(
        std::count_if(downs.begin(), downs.end(), [&](const auto& d) { return heads.count(d) != 0; }));
    if (step.upgrade) {
        if (downs.empty() || downs_in_heads == 0) {
            insert(rev);
        } else if (downs.size() > 1 && downs_in_heads > 1) {
            std::set<std::string> from_set(downs.begin(), downs.end());
            std::vector<std::string> from = not_under_other_heads(graph, downs, heads, from_set);
            for (std::size_t k = 0; k + 1 < from.size(); ++k) {
                remove(from[k]);
            }
            update(from.back(), rev);
        } else {
            std::string down = downs[0];
            if (downs.size() > 1) {
                for (const auto& d : downs) {
                    if (heads.count(d) != 0) {
                        down = d;
                    }
                }
            }
            update(down, rev);
        }
        return out;
    }
    if (heads.count(rev) != 0) {
        std::vector<std::string> to = not_under_other_heads(graph, downs, heads, {rev});
        if (downs.empty() || to.empty()) {
            remove(rev);
            return out;
        }
        if (downs.size() > 1) {
            update(rev, to.back());
            for (std::size_t k = 0; k + 1 < to.size(); ++k) {
                insert(to[k]);
            }
            return out;
        }
    }
    update(rev, downs.empty() ? std::string() : downs[0]);
    return out;
}

std::vector<std::string> plan_stamp(const Graph& graph, const std::vector<int>& current,
                                    const std::vector<int>& targets, bool purge) {
    std::set<std::string> rows;
    for (int t : targets) {
        rows.insert(graph.at(t).id);
    }
    if (!purge) {
        std::vector<char> up = graph.ancestors(targets, true);
        std::vector<char> down = graph.descendants(targets, true);
        for (int c : current) {
            auto i = static_cast<std::size_t>(c);
            if (targets.empty() || (up[i] == 0 && down[i] == 0)) {
                if (!targets.empty()) {
                    rows.insert(graph.at(c).id);
                }
            }
        }
    }
    // A row that is an ancestor of another row is implied by it.
    std::vector<int> revs = indexes_of(graph, rows);
    std::vector<std::string> out;
    for (int r : revs) {
        bool implied = false;
        for (int other : revs) {
            if (other != r && graph.ancestors({other}, true)[static_cast<std::size_t>(r)] != 0) {
                implied = true;
            }
        }
        if (!implied) {
            out.push_back(graph.at(r).id);
        }
    }
    return out;
}

}  // namespace migcheck::migrate
