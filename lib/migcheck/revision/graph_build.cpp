#include "migcheck/revision/graph.hpp"

#include "migcheck/util/text.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>

// Building the graph, once, when it is made: the id index (and find(), which
// searches it), edges, cycles, dependencies and branch labels. The other
// queries are in graph.cpp.

namespace migcheck::revision {
namespace {

constexpr std::size_t max_id_length = 32;

std::string where(const Revision& r, int line) { return r.path + ":" + std::to_string(line); }

}  // namespace

Graph::Graph(std::vector<Revision> revisions) : m_revs(std::move(revisions)) {
    // Index ids in load order; a later duplicate is reported and left out.
    // The revisions stay where the loader put them unless one is left out.
    std::vector<char> dropped;
    index_ids([&](int i, int first) {
        const Revision& r = m_revs[static_cast<std::size_t>(i)];
        if (first >= 0) {
            const Revision& f = m_revs[static_cast<std::size_t>(first)];
            m_findings.push_back(Finding{Severity::error, "duplicate-revision", r.path, r.line, 1,
                                         "revision id '" + r.id + "' is also declared in " +
                                             where(f, f.line) + "; give one of them a new id"});
            dropped.resize(m_revs.size(), 0);
            dropped[static_cast<std::size_t>(i)] = 1;
            return;
        }
        if (r.id.size() > max_id_length) {
            m_findings.push_back(Finding{Severity::error, "revision-id-too-long", r.path, r.line, 1,
                                         "revision id '" + r.id + "' has " +
                                             std::to_string(r.id.size()) +
                                             " characters; alembic_version.version_num holds 32"});
        }
    });
    if (!dropped.empty()) {
        std::size_t kept = 0;
        for (std::size_t i = 0; i < m_revs.size(); ++i) {
            if (dropped[i] == 0) {
                if (kept != i) {
                    m_revs[kept] = std::move(m_revs[i]);
                }
                ++kept;
            }
        }
        m_revs.erase(m_revs.begin() + static_cast<std::ptrdiff_t>(kept), m_revs.end());
        index_ids([](int, int) {});
    }
    std::size_t n = m_revs.size();
    for (std::size_t i = 0; i < n; ++i) {
        for (const auto& label : m_revs[i].branch_labels) {
            auto used = m_label_index.find(label);
            std::optional<int> as_id = find(label);
            if (used != m_label_index.end() || as_id) {
                const Revision& other =
                    m_revs[static_cast<std::size_t>(used != m_label_index.end() ? used->second
                                                                                : *as_id)];
                m_findings.push_back(Finding{
                    Severity::error, "duplicate-branch-label", m_revs[i].path,
                    m_revs[i].labels_line, 1,
                    "branch label '" + label + "' of revision " + m_revs[i].id +
                        " is already used by revision " + other.id + " (" +
                        where(other, used != m_label_index.end() ? other.labels_line : other.line) +
                        ")"});
                continue;
            }
            m_label_index.emplace(label, static_cast<int>(i));
        }
    }
    link();
    find_cycles();
    link_children();
    normalize_dependencies();
    propagate_labels();
}

namespace {

// FNV-1a: ids are short, and this inlines where std::hash calls out.
std::size_t id_hash(std::string_view id) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : id) {
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return static_cast<std::size_t>(h ^ (h >> 32));
}

}  // namespace

template <class Seen>
void Graph::index_ids(Seen seen) {
    // Open addressing, at most half full: thousands of ids, and no node or
    // string copy for each.
    std::size_t capacity = 16;
    while (capacity < 2 * m_revs.size()) {
        capacity *= 2;
    }
    m_slots.assign(capacity, -1);
    const std::size_t mask = capacity - 1;
    for (std::size_t i = 0; i < m_revs.size(); ++i) {
        const std::string& id = m_revs[i].id;
        std::size_t h = id_hash(id) & mask;
        int first = -1;
        while (m_slots[h] >= 0) {
            if (m_revs[static_cast<std::size_t>(m_slots[h])].id == id) {
                first = m_slots[h];
                break;
            }
            h = (h + 1) & mask;
        }
        seen(static_cast<int>(i), first);
        if (first < 0) {
            m_slots[h] = static_cast<int>(i);
        }
    }
}

std::optional<int> Graph::find(const std::string& id) const {
    if (m_slots.empty()) {
        return std::nullopt;
    }
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t h = id_hash(id) & mask; m_slots[h] >= 0; h = (h + 1) & mask) {
        if (m_revs[static_cast<std::size_t>(m_slots[h])].id == id) {
            return m_slots[h];
        }
    }
    return std::nullopt;
}

void Graph::link() {
    // Suggestions need every id as a list; only a broken edge asks for one.
    std::vector<std::string> ids;
    auto suggest = [&](const std::string& d) {
        if (m_revs.size() >= 5000) {
            return std::string();
        }
        if (ids.empty()) {
            for (const auto& r : m_revs) {
                ids.push_back(r.id);
            }
        }
        return text::did_you_mean(d, ids);
    };
    auto lookup = [&](const std::string& id) -> std::optional<int> {
        if (auto i = find(id)) {
            return i;
        }
        auto l = m_label_index.find(id);
        if (l != m_label_index.end()) {
            return l->second;
        }
        return std::nullopt;
    };
    m_down.reserve(m_revs.size(), m_revs.size());
    m_deps.reserve(m_revs.size(), 0);
    for (std::size_t i = 0; i < m_revs.size(); ++i) {
        const Revision& r = m_revs[i];
        for (const auto& d : r.down_revisions) {
            if (auto p = lookup(d)) {
                if (!m_down.open_contains(*p)) {
                    m_down.add(*p);
                }
            } else {
                m_findings.push_back(Finding{
                    Severity::error, "missing-parent", r.path, r.down_line, 1,
                    "down_revision '" + d + "' of revision " + r.id + " is not a known revision" +
                        suggest(d) + "; fix the id, or restore the missing revision file"});
            }
        }
        m_down.close();
        Edges parents = m_down[i];
        for (const auto& d : r.depends_on) {
            if (auto p = lookup(d)) {
                if (std::find(parents.begin(), parents.end(), *p) == parents.end() &&
                    !m_deps.open_contains(*p)) {
                    m_deps.add(*p);
                }
            } else {
                m_findings.push_back(Finding{
                    Severity::error, "missing-dependency", r.path, r.depends_line, 1,
                    "depends_on '" + d + "' of revision " + r.id +
                        " is not a known revision or branch label" + suggest(d)});
            }
        }
        m_deps.close();
    }
}

void Graph::find_cycles() {
    // Tarjan's strongly connected components, iteratively, over parent edges
    // of both kinds. Members of a cycle lose their edges to each other, so the
    // graph left is acyclic and every walk ends.
    std::size_t n = m_revs.size();
    std::vector<int> index(n, -1), low(n, 0), comp(n, -1);
    std::vector<char> on_stack(n, 0);
    std::vector<int> stack;
    int counter = 0;
    int comps = 0;
    // Edge k of v: its parents first, then its dependencies.
    auto edge_count = [&](int v) {
        return m_down[static_cast<std::size_t>(v)].size() + m_deps[static_cast<std::size_t>(v)].size();
    };
    auto edge = [&](int v, std::size_t k) {
        Edges down = m_down[static_cast<std::size_t>(v)];
        return k < down.size() ? down[k] : m_deps[static_cast<std::size_t>(v)][k - down.size()];
    };
    struct Frame {
        int v;
        std::size_t k;
    };
    std::vector<Frame> call;
    for (std::size_t s = 0; s < n; ++s) {
        if (index[s] != -1) {
            continue;
        }
        call.push_back(Frame{static_cast<int>(s), 0});
        index[s] = low[s] = counter++;
        stack.push_back(static_cast<int>(s));
        on_stack[s] = 1;
        while (!call.empty()) {
            Frame& f = call.back();
            auto v = static_cast<std::size_t>(f.v);
            if (f.k < edge_count(f.v)) {
                auto w = static_cast<std::size_t>(edge(f.v, f.k++));
                if (index[w] == -1) {
                    index[w] = low[w] = counter++;
                    stack.push_back(static_cast<int>(w));
                    on_stack[w] = 1;
                    call.push_back(Frame{static_cast<int>(w), 0});
                } else if (on_stack[w] != 0) {
                    low[v] = std::min(low[v], index[w]);
                }
                continue;
            }
            if (low[v] == index[v]) {
                for (;;) {
                    auto w = static_cast<std::size_t>(stack.back());
                    stack.pop_back();
                    on_stack[w] = 0;
                    comp[w] = comps;
                    if (w == v) {
                        break;
                    }
                }
                ++comps;
            }
            int done = f.v;
            call.pop_back();
            if (!call.empty()) {
                auto parent = static_cast<std::size_t>(call.back().v);
                low[parent] = std::min(low[parent], low[static_cast<std::size_t>(done)]);
            }
        }
    }
    // Only components of two or more revisions are cycles; the rest, nearly
    // always all of them, are single revisions and need no list.
    std::vector<int> size(static_cast<std::size_t>(comps), 0);
    for (std::size_t v = 0; v < n; ++v) {
        ++size[static_cast<std::size_t>(comp[v])];
    }
    std::map<int, std::vector<int>> members;
    for (std::size_t v = 0; v < n; ++v) {
        if (size[static_cast<std::size_t>(comp[v])] > 1) {
            members[comp[v]].push_back(static_cast<int>(v));
        }
    }
    if (members.empty()) {
        return;
    }
    for (auto& [c, group] : members) {
        std::sort(group.begin(), group.end(),
                  [&](int a, int b) { return at(a).id < at(b).id; });
        std::vector<std::string> names;
        for (int g : group) {
            names.push_back(at(g).id + " (" + at(g).path + ")");
        }
        const Revision& first = at(group[0]);
        m_findings.push_back(Finding{Severity::error, "cycle", first.path, first.down_line, 1,
                                     "revisions form a cycle through down_revision/depends_on: " +
                                         text::join(names, ", ") +
                                         "; one of them must name an older parent"});
    }
    // Members of a cycle lose their edges to each other.
    auto without_cycles = [&](const EdgeTable& table) {
        EdgeTable kept;
        kept.reserve(n, table.edges());
        for (std::size_t v = 0; v < n; ++v) {
            bool member = size[static_cast<std::size_t>(comp[v])] > 1;
            for (int x : table[v]) {
                if (!member || comp[static_cast<std::size_t>(x)] != comp[v]) {
                    kept.add(x);
                }
            }
            kept.close();
        }
        return kept;
    };
    m_down = without_cycles(m_down);
    m_deps = without_cycles(m_deps);
}

void Graph::link_children() {
    // Children in load order: counted, then placed, as a counting sort.
    std::size_t n = m_revs.size();
    std::vector<int> kids(n, 0);
    std::vector<int> all_kids(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        for (int p : m_down[i]) {
            ++kids[static_cast<std::size_t>(p)];
            ++all_kids[static_cast<std::size_t>(p)];
        }
        // link() keeps a dependency that is also a parent out of m_deps, so
        // each child appears once in all_next.
        for (int d : m_deps[i]) {
            ++all_kids[static_cast<std::size_t>(d)];
        }
    }
    auto fill = [&](std::vector<int>& counts, bool with_deps) {
        std::vector<int> starts(n + 1, 0);
        for (std::size_t v = 0; v < n; ++v) {
            starts[v + 1] = starts[v] + counts[v];
        }
        std::vector<int> items(static_cast<std::size_t>(starts[n]));
        std::vector<int> at(starts.begin(), starts.end() - 1);
        for (std::size_t i = 0; i < n; ++i) {
            for (int p : m_down[i]) {
                items[static_cast<std::size_t>(at[static_cast<std::size_t>(p)]++)] = static_cast<int>(i);
            }
            if (with_deps) {
                for (int d : m_deps[i]) {
                    items[static_cast<std::size_t>(at[static_cast<std::size_t>(d)]++)] =
                        static_cast<int>(i);
                }
            }
        }
        return EdgeTable(std::move(starts), std::move(items));
    };
    m_next = fill(kids, false);
    // Most histories have no depends_on at all: then both kinds are one.
    m_all_next = m_deps.edges() == 0 ? m_next : fill(all_kids, true);
}

void Graph::normalize_dependencies() {
    if (m_deps.edges() == 0) {
        m_norm_down = m_down;
        return;
    }
    const std::size_t n = m_revs.size();
    // A dependency is dropped when a proper ancestor (through down_revision)
    // already depends on it. Only the few revisions with dependencies
    // matter as ancestors, so for each revision the set of those among its
    // ancestors is a bit set, built parents first along one topological
    // order: one pass for each 64 of them, not one walk for each.
    std::vector<int> carriers;
    std::vector<std::vector<int>> deps;
    for (std::size_t i = 0; i < n; ++i) {
        if (!m_deps[i].empty()) {
            carriers.push_back(static_cast<int>(i));
            deps.push_back(m_deps[i]);
        }
    }
    std::vector<int> order;
    order.reserve(n);
    {
        std::vector<int> pending(n);
        for (std::size_t i = 0; i < n; ++i) {
            pending[i] = static_cast<int>(m_down[i].size());
            if (pending[i] == 0) {
                order.push_back(static_cast<int>(i));
            }
        }
        for (std::size_t k = 0; k < order.size(); ++k) {
            for (int c : next(order[k])) {
                if (--pending[static_cast<std::size_t>(c)] == 0) {
                    order.push_back(c);
                }
            }
        }
    }
    std::vector<std::uint64_t> below(n);
    for (std::size_t first = 0; first < carriers.size(); first += 64) {
        std::size_t last = std::min(carriers.size(), first + 64);
        std::fill(below.begin(), below.end(), 0);
        std::vector<std::uint64_t> own(n, 0);
        for (std::size_t k = first; k < last; ++k) {
            own[static_cast<std::size_t>(carriers[k])] = std::uint64_t{1} << (k - first);
        }
        for (int v : order) {
            std::uint64_t up = below[static_cast<std::size_t>(v)] | own[static_cast<std::size_t>(v)];
            for (int c : next(v)) {
                below[static_cast<std::size_t>(c)] |= up;
            }
        }
        for (std::size_t j = 0; j < carriers.size(); ++j) {
            for (std::uint64_t bits = below[static_cast<std::size_t>(carriers[j])]; bits != 0;
                 bits &= bits - 1) {
                auto a = static_cast<std::size_t>(carriers[first + static_cast<std::size_t>(
                                                                     std::countr_zero(bits))]);
                for (int d : m_deps[a]) {
                    std::erase(deps[j], d);
                }
            }
        }
    }
    std::vector<int> starts{0};
    std::vector<int> items;
    starts.reserve(n + 1);
    items.reserve(m_down.edges() + m_deps.edges());
    for (std::size_t i = 0, j = 0; i < n; ++i) {
        Edges parents = m_down[i];
        items.insert(items.end(), parents.begin(), parents.end());
        if (j < carriers.size() && carriers[j] == static_cast<int>(i)) {
            for (int d : deps[j]) {
                if (std::find(items.begin() + starts.back(), items.end(), d) == items.end()) {
                    items.push_back(d);
                }
            }
            ++j;
        }
        starts.push_back(static_cast<int>(items.size()));
    }
    m_norm_down = EdgeTable(std::move(starts), std::move(items));
}

void Graph::propagate_labels() {
    // Most histories declare no branch label at all.
    if (m_label_index.empty()) {
        return;
    }
    const std::size_t n = m_revs.size();
    // Every label declared, duplicates included, numbered in sorted order:
    // a revision's labels are then a bit set, and its label list the set
    // bits in order.
    std::map<std::string, std::size_t> number;
    for (const auto& r : m_revs) {
        for (const auto& l : r.branch_labels) {
            number.emplace(l, 0);
        }
    }
    std::vector<const std::string*> names;
    for (auto& [label, k] : number) {
        k = names.size();
        names.push_back(&label);
    }
    const std::size_t words = (names.size() + 63) / 64;
    std::vector<std::uint64_t> bits(n * words, 0);
    std::vector<std::uint64_t> own(words);
    auto add = [&](std::size_t v) {
        for (std::size_t w = 0; w < words; ++w) {
            bits[v * words + w] |= own[w];
        }
    };
    std::vector<char> seen(n, 0);
    std::vector<int> todo;
    std::vector<int> kids;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& declared = m_revs[i].branch_labels;
        if (declared.empty()) {
            continue;
        }
        std::fill(own.begin(), own.end(), 0);
        for (const auto& l : declared) {
            std::size_t k = number[l];
            own[k / 64] |= std::uint64_t{1} << (k % 64);
        }
        // Descendants through down_revision, depth first as Alembic walks
        // them; the last one reached is where the upward walk starts.
        std::fill(seen.begin(), seen.end(), 0);
        todo.assign(1, static_cast<int>(i));
        int last = static_cast<int>(i);
        while (!todo.empty()) {
            int v = todo.back();
            todo.pop_back();
            if (seen[static_cast<std::size_t>(v)] != 0) {
                continue;
            }
            seen[static_cast<std::size_t>(v)] = 1;
            add(static_cast<std::size_t>(v));
            Edges children = next(v);
            if (children.size() == 1) {
                todo.push_back(children[0]);
            } else if (!children.empty()) {
                kids.assign(children.begin(), children.end());
                std::sort(kids.begin(), kids.end(),
                          [&](int a, int b) { return at(a).id > at(b).id; });
                todo.insert(todo.end(), kids.begin(), kids.end());
            }
            last = v;
        }
        for (int p = last;;) {
            if (all_next(p).size() > 1 || is_merge_point(p)) {
                break;
            }
            add(static_cast<std::size_t>(p));
            if (down(p).empty()) {
                break;
            }
            p = down(p)[0];
        }
    }
    // Descendants share their labels, so each distinct set becomes one list;
    // neighbours in load order usually share theirs, so the last set found
    // is tried before the map.
    std::map<std::vector<std::uint64_t>, std::uint32_t> set_index;
    std::vector<std::uint64_t> key(words);
    std::vector<std::uint64_t> last_key;
    std::uint32_t last_set = 0;
    m_label_set_of.assign(n, 0);
    for (std::size_t v = 0; v < n; ++v) {
        const std::uint64_t* b = bits.data() + v * words;
        if (std::all_of(b, b + words, [](std::uint64_t w) { return w == 0; })) {
            continue;
        }
        key.assign(b, b + words);
        if (key != last_key) {
            auto [it, added] = set_index.emplace(key, static_cast<std::uint32_t>(m_label_sets.size()));
            if (added) {
                std::vector<std::string> list;
                for (std::size_t k = 0; k < names.size(); ++k) {
                    if (((key[k / 64] >> (k % 64)) & 1U) != 0) {
                        list.push_back(*names[k]);
                    }
                }
                m_label_sets.push_back(std::move(list));
            }
            last_key = key;
            last_set = it->second;
        }
        m_label_set_of[v] = last_set;
    }
}

}  // namespace migcheck::revision
