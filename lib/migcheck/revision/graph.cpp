#include "migcheck/revision/graph.hpp"

#include "migcheck/util/text.hpp"

#include <algorithm>
#include <cstdint>

namespace migcheck::revision {
namespace {

void push_unique(std::vector<int>& v, int x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) {
        v.push_back(x);
    }
}

bool all_digits(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

// Alembic's _relative_destination: (?:(.+?)@)?(\w+)?((?:\+|-)\d+), matched at
// the start of the string (re.match), so trailing text is allowed.
struct Relative {
    std::string label;
    std::string symbol;
    int steps = 0;
};

std::optional<Relative> match_relative(const std::string& s) {
    // Try every possible end of the label part (non-greedy), then the rest.
    auto rest_match = [](const std::string& r, Relative& out) -> bool {
        std::size_t i = 0;
        while (i < r.size() && is_word_char(r[i])) {
            ++i;
        }
        // \w+ is greedy but backtracks: the sign must follow the symbol.
        for (std::size_t end = i + 1; end-- > 0;) {
            if (end < r.size() && (r[end] == '+' || r[end] == '-') && end + 1 < r.size() &&
                std::isdigit(static_cast<unsigned char>(r[end + 1])) != 0) {
                std::size_t d = end + 1;
                while (d < r.size() && std::isdigit(static_cast<unsigned char>(r[d])) != 0) {
                    ++d;
                }
                out.symbol = r.substr(0, end);
                try {
                    out.steps = std::stoi(r.substr(end, d - end));
                } catch (const std::exception&) {
                    return false;
                }
                return true;
            }
        }
        return false;
    };
    Relative rel;
    if (rest_match(s, rel)) {
        return rel;
    }
    for (std::size_t at = 1; at < s.size(); ++at) {
        if (s[at] == '@') {
            Relative r2;
            if (rest_match(s.substr(at + 1), r2)) {
                r2.label = s.substr(0, at);
                return r2;
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<int> Graph::heads() const {
    std::vector<int> out;
    for (std::size_t i = 0; i < m_revs.size(); ++i) {
        if (m_next[i].empty()) {
            out.push_back(static_cast<int>(i));
        }
    }
    std::sort(out.begin(), out.end(), [&](int a, int b) { return at(a).id < at(b).id; });
    return out;
}

std::vector<int> Graph::real_heads() const {
    std::vector<int> out;
    for (std::size_t i = 0; i < m_revs.size(); ++i) {
        if (m_all_next[i].empty()) {
            out.push_back(static_cast<int>(i));
        }
    }
    return out;
}

namespace {

// Everything reachable from `targets` (included) through `step`, depth first.
template <class Step>
std::vector<char> reach(std::size_t size, const std::vector<int>& targets, Step step) {
    std::vector<char> seen(size, 0);
    std::vector<int> todo(targets.begin(), targets.end());
    while (!todo.empty()) {
        int v = todo.back();
        todo.pop_back();
        if (seen[static_cast<std::size_t>(v)] != 0) {
            continue;
        }
        seen[static_cast<std::size_t>(v)] = 1;
        for (int w : step(v)) {
            if (seen[static_cast<std::size_t>(w)] == 0) {
                todo.push_back(w);
            }
        }
    }
    return seen;
}

}  // namespace

std::vector<char> Graph::ancestors(const std::vector<int>& targets, bool with_deps) const {
    return reach(m_revs.size(), targets,
                 [&](int v) { return with_deps ? normalized_down(v) : down(v); });
}

std::vector<char> Graph::descendants(const std::vector<int>& targets, bool with_deps) const {
    return reach(m_revs.size(), targets,
                 [&](int v) { return with_deps ? all_next(v) : next(v); });
}

bool Graph::shares_lineage(int target, const std::vector<int>& against) const {
    if (against.empty()) {
        return true;
    }
    std::vector<char> up = ancestors({target}, false);
    std::vector<char> downs = descendants({target}, false);
    for (int a : against) {
        if (up[static_cast<std::size_t>(a)] != 0 || downs[static_cast<std::size_t>(a)] != 0) {
            return true;
        }
    }
    return false;
}

// A set of revisions as a bitset, for the topological walk's ancestor tests.
namespace {
struct Bits {
    std::vector<std::uint64_t> w;
    explicit Bits(std::size_t n) : w((n + 63) / 64, 0) {}
    bool has(int i) const {
        auto u = static_cast<std::size_t>(i);
        return ((w[u / 64] >> (u % 64)) & 1U) != 0;
    }
    void set(int i) {
        auto u = static_cast<std::size_t>(i);
        w[u / 64] |= std::uint64_t{1} << (u % 64);
    }
};
}  // namespace

std::vector<int> Graph::topological(const std::vector<char>& todo_in,
                                    const std::vector<int>& heads_in) const {
    // A port of Alembic's RevisionMap._topological_sort: it decides the order
    // `history` prints in, so it is followed step by step. Load order stands
    // in for Alembic's insertion order.
    std::vector<char> todo = todo_in;
    std::size_t remaining = static_cast<std::size_t>(std::count(todo.begin(), todo.end(), 1));
    std::vector<int> current;
    for (int h : heads_in) {
        if (todo[static_cast<std::size_t>(h)] != 0) {
            push_unique(current, h);
        }
    }
    std::sort(current.begin(), current.end());
    // Ancestor sets are asked for at every merge the walk passes, and a DFS
    // each time costs the whole history. So the sets of merge points (nodes
    // with several parents) are built once, parents first; any other set is
    // then a walk down a single-parent chain to the nearest merge point.
    std::vector<int> merge_slot(m_revs.size(), -1);
    std::vector<Bits> merge_sets;
    auto chain_into = [&](int v, Bits& b) {
        for (;;) {
            if (b.has(v)) {
                return;
            }
            if (merge_slot[static_cast<std::size_t>(v)] >= 0) {
                const Bits& m = merge_sets[static_cast<std::size_t>(merge_slot[static_cast<std::size_t>(v)])];
                for (std::size_t w = 0; w < b.w.size(); ++w) {
                    b.w[w] |= m.w[w];
                }
                return;
            }
            b.set(v);
            const auto& parents = normalized_down(v);
            if (parents.empty()) {
                return;
            }
            v = parents[0];
        }
    };
    {
        // Parents before children: a post-order of a DFS down the parents.
        std::vector<char> state(m_revs.size(), 0);
        std::vector<std::pair<int, std::size_t>> stack;
        for (std::size_t root = 0; root < m_revs.size(); ++root) {
            if (state[root] != 0) {
                continue;
            }
            stack.emplace_back(static_cast<int>(root), 0);
            state[root] = 1;
            while (!stack.empty()) {
                auto& [v, k] = stack.back();
                const auto& parents = normalized_down(v);
                if (k < parents.size()) {
                    int p = parents[k++];
                    if (state[static_cast<std::size_t>(p)] == 0) {
                        state[static_cast<std::size_t>(p)] = 1;
                        stack.emplace_back(p, 0);
                    }
                    continue;
                }
                if (parents.size() > 1) {
                    Bits b(m_revs.size());
                    b.set(v);
                    for (int p : parents) {
                        chain_into(p, b);
                    }
                    merge_slot[static_cast<std::size_t>(v)] = static_cast<int>(merge_sets.size());
                    merge_sets.push_back(std::move(b));
                }
                stack.pop_back();
            }
        }
    }
    auto ancestor_bits = [&](int head) {
        Bits b(m_revs.size());
        chain_into(head, b);
        return b;
    };
    std::vector<Bits> anc;
    anc.reserve(current.size());
    for (int h : current) {
        anc.push_back(ancestor_bits(h));
    }
    std::vector<int> output;
    output.reserve(remaining);
    std::size_t idx = 0;
    std::vector<int> to_add;
    while (!current.empty()) {
        int candidate = current[idx];
        bool blocked = false;
        for (std::size_t k = 0; k < anc.size(); ++k) {
            if (k != idx && anc[k].has(candidate)) {
                idx = k;
                blocked = true;
                break;
            }
        }
        if (blocked) {
            continue;
        }
        if (todo[static_cast<std::size_t>(candidate)] != 0) {
            output.push_back(candidate);
            todo[static_cast<std::size_t>(candidate)] = 0;
        }
        to_add.clear();
        for (int r : normalized_down(candidate)) {
            if (todo[static_cast<std::size_t>(r)] != 0 &&
                std::find(current.begin(), current.end(), r) == current.end()) {
                to_add.push_back(r);
            }
        }
        if (to_add.empty()) {
            current.erase(current.begin() + static_cast<std::ptrdiff_t>(idx));
            anc.erase(anc.begin() + static_cast<std::ptrdiff_t>(idx));
            idx = idx == 0 ? 0 : idx - 1;
        } else if (normalized_down(candidate).size() == down(candidate).size() &&
                   at(candidate).down_revisions.size() == 1) {
            // Plain movement down a line: the ancestor set still covers
            // everything not yet emitted.
            current[idx] = to_add[0];
        } else {
            current[idx] = to_add[0];
            anc[idx] = ancestor_bits(to_add[0]);
            for (std::size_t k = 1; k < to_add.size(); ++k) {
                current.push_back(to_add[k]);
                anc.push_back(ancestor_bits(to_add[k]));
            }
        }
    }
    return output;
}

std::optional<int> Graph::walk(std::optional<int> start, int steps, const std::string& label) const {
    // Alembic's _walk with no_overwalk=False, as `history` calls it: a walk
    // past either end stays where it is.
    std::optional<int> cur = start;
    bool at_base = false;
    for (int s = 0; s < std::abs(steps); ++s) {
        std::vector<int> children;
        if (steps > 0) {
            if (cur) {
                children = next(*cur).to_vector();
            } else {
                for (std::size_t i = 0; i < m_revs.size(); ++i) {
                    if (m_revs[i].down_revisions.empty()) {
                        children.push_back(static_cast<int>(i));
                    }
                }
            }
            if (!label.empty()) {
                std::vector<int> against = resolve_one(label, "");
                std::erase_if(children, [&](int c) { return !shares_lineage(c, against); });
            }
        } else {
            if (at_base) {
                return cur;
            }
            children = cur ? down(*cur).to_vector() : heads();
            if (children.empty()) {
                at_base = true;
                cur = std::nullopt;
                continue;
            }
        }
        if (children.empty()) {
            return cur;
        }
        if (children.size() > 1) {
            throw ResolutionError("Ambiguous walk");
        }
        cur = children[0];
    }
    return cur;
}

std::vector<int> Graph::resolve_one(const std::string& id, const std::string& label) const {
    std::vector<int> branch;
    if (!label.empty()) {
        auto l = m_label_index.find(label);
        if (l != m_label_index.end()) {
            branch = {l->second};
        } else {
            try {
                branch = resolve_one(label, "");
            } catch (const ResolutionError&) {
                throw ResolutionError("No such branch: '" + label + "'");
            }
        }
    }
    std::optional<int> rev;
    if (auto exact = find(id)) {
        rev = exact;
    } else if (auto l = m_label_index.find(id); l != m_label_index.end()) {
        rev = l->second;
    } else {
        std::vector<int> matches;
        for (std::size_t i = 0; i < m_revs.size(); ++i) {
            const std::string& x = m_revs[i].id;
            if (x.size() > 3 && text::starts_with(x, id)) {
                matches.push_back(static_cast<int>(i));
            }
        }
        if (!branch.empty()) {
            std::erase_if(matches, [&](int c) { return !shares_lineage(c, branch); });
        }
        if (matches.empty()) {
            throw ResolutionError("No such revision or branch '" + id + "'" +
                                  (id.size() < 4 ? "; please ensure at least four characters are "
                                                   "present for partial revision identifier "
                                                   "matches"
                                                 : ""));
        }
        if (matches.size() > 1) {
            std::vector<std::string> shown;
            for (std::size_t k = 0; k < matches.size() && k < 3; ++k) {
                shown.push_back("'" + at(matches[k]).id + "'");
            }
            throw ResolutionError("Multiple revisions start with '" + id +
                                  "': " + text::join(shown, ", ") + "...");
        }
        rev = matches[0];
    }
    if (!branch.empty() && !shares_lineage(*rev, branch)) {
        throw ResolutionError("Revision " + at(*rev).id + " is not a member of branch '" + label +
                              "'");
    }
    return {*rev};
}

std::vector<int> Graph::resolve(const std::string& ident) const {
    std::string label;
    std::string id = ident;
    if (auto at_sign = ident.find('@'); at_sign != std::string::npos) {
        label = ident.substr(0, at_sign);
        id = ident.substr(at_sign + 1);
    }
    auto lineage = [&](std::vector<int> revs) {
        if (label.empty()) {
            return revs;
        }
        std::vector<int> against = resolve_one(label, "");
        std::erase_if(revs, [&](int r) { return !shares_lineage(r, against); });
        return revs;
    };
    if (id == "heads") {
        return label.empty() ? real_heads() : lineage(heads());
    }
    if (id == "head") {
        std::vector<int> hs = lineage(heads());
        if (hs.size() > 1) {
            std::vector<std::string> names;
            for (int h : hs) {
                names.push_back(at(h).id);
            }
            std::string arg = label.empty() ? std::string("head") : label + "@head";
            throw ResolutionError("Multiple head revisions are present for given argument '" +
                                  arg +
                                  "'; please specify a specific target revision, "
                                  "'<branchname>@head' to narrow to a specific head, or 'heads' "
                                  "for all heads (" +
                                  text::join(names, ", ") + ")");
        }
        return hs;
    }
    if (id == "base" || id.empty()) {
        return {};
    }
    if (id[0] == '-' && all_digits(id.substr(1))) {
        std::vector<int> out;
        for (int h : lineage(real_heads())) {
            if (auto r = walk(h, -std::stoi(id.substr(1)), "")) {
                out.push_back(*r);
            }
        }
        return out;
    }
    return resolve_one(id, label);
}

std::vector<int> Graph::history(const std::string& lower_in, const std::string& upper_in) const {
    std::string lower = lower_in.empty() ? "base" : lower_in;
    std::string upper = upper_in.empty() ? "heads" : upper_in;
    std::vector<int> targets;
    if (auto rel = match_relative(upper)) {
        if (rel->symbol.empty() && rel->steps < 0) {
            throw ResolutionError("Relative revision " + std::to_string(rel->steps) +
                                  " didn't produce " + std::to_string(std::abs(rel->steps)) +
                                  " migrations");
        }
        // "+N" alone walks up from the lower bound, as Alembic walks up from
        // the current revisions.
        std::optional<int> start;
        std::vector<int> s =
            rel->symbol.empty()
                ? resolve(lower)
                : resolve(rel->label.empty() ? rel->symbol : rel->label + "@" + rel->symbol);
        if (s.size() > 1) {
            throw ResolutionError(rel->symbol.empty()
                                      ? "Ambiguous upgrade from multiple current revisions"
                                      : "Ambiguous walk");
        }
        if (!s.empty()) {
            start = s[0];
        }
        if (auto r = walk(start, rel->steps, rel->steps > 0 ? rel->label : "")) {
            targets.push_back(*r);
        }
    } else {
        targets = resolve(upper);
    }
    if (auto at_sign = lower.find('@'); at_sign != std::string::npos) {
        std::string branch = lower.substr(0, at_sign);
        if (auto r = find(branch); r && at(*r).branch_labels.size() == 1) {
            branch = at(*r).branch_labels[0];
        }
        std::erase_if(targets, [&](int t) {
            const auto& l = labels(t);
            return std::find(l.begin(), l.end(), branch) == l.end();
        });
    }
    std::vector<char> required = ancestors(targets, true);
    std::vector<int> current = resolve(lower);
    for (int c : current) {
        if (required[static_cast<std::size_t>(c)] == 0) {
            throw ResolutionError("Requested range " + lower + ":" + upper +
                                  " does not refer to ancestor/descendant revisions along the "
                                  "same branch");
        }
    }
    std::vector<char> current_set = ancestors(current, true);
    std::vector<char> needs(m_revs.size(), 0);
    for (std::size_t i = 0; i < needs.size(); ++i) {
        needs[i] = static_cast<char>(required[i] != 0 && current_set[i] == 0);
    }
    for (int c : current) {
        needs[static_cast<std::size_t>(c)] = 1;
    }
    if (!current.empty()) {
        std::vector<char> below = descendants(current, false);
        bool any = false;
        for (std::size_t i = 0; i < needs.size(); ++i) {
            needs[i] = static_cast<char>(needs[i] != 0 && below[i] != 0);
            any |= needs[i] != 0;
        }
        // The lower bound reaches the upper one only through depends_on
        // (Alembic 1.8 fails an assertion here): not a range on one branch.
        std::vector<int> kept;
        for (int t : targets) {
            if (needs[static_cast<std::size_t>(t)] != 0) {
                kept.push_back(t);
            }
        }
        if (!any || (kept.empty() && !targets.empty())) {
            throw ResolutionError("Requested range " + lower + ":" + upper +
                                  " does not refer to ancestor/descendant revisions along the "
                                  "same branch");
        }
    }
    return topological(needs, targets);
}

std::vector<Finding> check_heads(const Graph& graph, std::optional<int> expected) {
    std::vector<Finding> out;
    std::vector<int> hs = graph.heads();
    // An empty history has no head to count, whatever is expected.
    if (hs.empty() || (hs.size() == 1 && !expected)) {
        return out;
    }
    auto describe = [&](const std::vector<int>& revs) {
        std::vector<std::string> parts;
        for (int h : revs) {
            parts.push_back(graph.at(h).id + " (" + graph.at(h).path + ":" +
                            std::to_string(graph.at(h).line) + ")");
        }
        return text::join(parts, ", ");
    };
    auto report = [&](const std::vector<int>& revs, const std::string& what) {
        const Revision& last = graph.at(revs.back());
        std::string ids;
        for (int h : revs) {
            ids += (ids.empty() ? "" : " ") + graph.at(h).id;
        }
        out.push_back(Finding{Severity::error, "multiple-heads", last.path, last.line, 1,
                              what + ": " + describe(revs) +
                                  "; write a merge revision: alembic merge -m \"merge heads\" " +
                                  ids});
    };
    if (expected) {
        if (static_cast<int>(hs.size()) != *expected) {
            report(hs, "the history has " + std::to_string(hs.size()) +
                           (hs.size() == 1 ? " head where " : " heads where ") +
                           std::to_string(*expected) +
                           (*expected == 1 ? " is" : " are") + " expected (config/migcheck.yaml)");
        }
        return out;
    }
    // One head per branch label, and no unlabelled second head.
    std::map<std::string, std::vector<int>> by_label;
    std::vector<int> unlabelled;
    for (int h : hs) {
        if (graph.labels(h).empty()) {
            unlabelled.push_back(h);
        }
        for (const auto& l : graph.labels(h)) {
            by_label[l].push_back(h);
        }
    }
    if (!unlabelled.empty() && hs.size() > 1) {
        report(unlabelled.size() > 1 ? unlabelled : hs,
               "the history has " + std::to_string(hs.size()) + " heads" +
                   (unlabelled.size() < hs.size() ? " and not every one has a branch label" : ""));
    }
    for (const auto& [label, revs] : by_label) {
        if (revs.size() > 1) {
            report(revs, "branch '" + label + "' has " + std::to_string(revs.size()) + " heads");
        }
    }
    return out;
}

}  // namespace migcheck::revision
