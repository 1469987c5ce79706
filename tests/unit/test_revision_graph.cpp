#include "migcheck/revision/format.hpp"
#include "migcheck/revision/graph.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace migcheck;
using namespace migcheck::revision;

namespace {

using V = std::vector<std::string>;

// One revision as a line of a table: id, parents, labels, dependencies.
Revision rev(std::string id, V down = {}, V labels = {}, V deps = {}) {
    Revision r;
    r.path = "versions/" + id + ".py";
    r.message = "msg " + id;
    r.id = std::move(id);
    r.down_revisions = std::move(down);
    r.branch_labels = std::move(labels);
    r.depends_on = std::move(deps);
    return r;
}

V ids(const Graph& g, const std::vector<int>& idx) {
    V out;
    for (int i : idx) {
        out.push_back(g.at(i).id);
    }
    return out;
}

V codes(const Graph& g) {
    V out;
    for (const auto& f : g.findings()) {
        out.push_back(f.code);
    }
    return out;
}

V history_lines(const Graph& g, const std::string& lower = "", const std::string& upper = "") {
    V out;
    for (int i : g.history(lower, upper)) {
        out.push_back(history_line(g, i));
    }
    return out;
}

// Alembic's documentation example: a branch, a merge, labels.
Graph docs_example() {
    return Graph({rev("1975ea83b712"), rev("27c6a30d7c24", {"1975ea83b712"}),
                  rev("ae1027a6acf", {"1975ea83b712"}),
                  rev("53fffde5ad5", {"ae1027a6acf", "27c6a30d7c24"})});
}

}  // namespace

TEST_CASE("heads, bases, branch and merge points") {
    struct Case {
        const char* name;
        std::vector<Revision> revs;
        V heads;
        V real_heads;
    };
    std::vector<Case> cases = {
        {"linear", {rev("a"), rev("b", {"a"}), rev("c", {"b"})}, {"c"}, {"c"}},
        {"two heads", {rev("a"), rev("b", {"a"}), rev("c", {"a"})}, {"b", "c"}, {"b", "c"}},
        {"merge", {rev("a"), rev("b", {"a"}), rev("c", {"a"}), rev("d", {"b", "c"})}, {"d"}, {"d"}},
        {"two bases", {rev("a"), rev("b")}, {"a", "b"}, {"a", "b"}},
        {"effective head",
         {rev("a"), rev("b", {"a"}), rev("x"), rev("c", {"b"}, {}, {"x"})},
         {"c", "x"},
         {"c"}},
        {"dependency on a label", {rev("a", {}, {"net"}), rev("b", {}, {}, {"net"})},
         {"a", "b"}, {"b"}},
        {"empty", {}, {}, {}},
    };
    for (auto& c : cases) {
        CAPTURE(c.name);
        Graph g(c.revs);
        CHECK(g.findings().empty());
        CHECK(ids(g, g.heads()) == c.heads);
        CHECK(ids(g, g.real_heads()) == c.real_heads);
    }
    Graph g = docs_example();
    CHECK(g.is_branch_point(*g.find("1975ea83b712")));
    CHECK(g.is_merge_point(*g.find("53fffde5ad5")));
    CHECK_FALSE(g.is_merge_point(*g.find("ae1027a6acf")));
}

TEST_CASE("history lines are Alembic's, newest first") {
    Graph g = docs_example();
    CHECK(history_lines(g) ==
          V{"ae1027a6acf, 27c6a30d7c24 -> 53fffde5ad5 (head) (mergepoint), msg 53fffde5ad5",
            "1975ea83b712 -> ae1027a6acf, msg ae1027a6acf",
            "1975ea83b712 -> 27c6a30d7c24, msg 27c6a30d7c24",
            "<base> -> 1975ea83b712 (branchpoint), msg 1975ea83b712"});
    Graph labelled({rev("a", {}, {"net"}), rev("b", {"a"}), rev("c", {}, {}, {"a"})});
    // Alembic prints this order when it lists files by name.
    CHECK(history_lines(labelled) == V{"a -> b (net) (head), msg b",
                                      "<base> (a) -> c (head), msg c",
                                      "<base> -> a (net), msg a"});
    Graph effective({rev("x"), rev("c", {}, {}, {"x"})});
    CHECK(heads_line(effective, *effective.find("x")) == "x (effective head)");
    CHECK(heads_line(effective, *effective.find("c")) == "c (head)");
}

TEST_CASE("history ranges") {
    Graph g({rev("a1111"), rev("b2222", {"a1111"}), rev("c3333", {"b2222"}), rev("d4444", {"c3333"})});
    struct Case {
        const char* lower;
        const char* upper;
        V expected;
    };
    std::vector<Case> cases = {
        {"", "", {"d4444", "c3333", "b2222", "a1111"}},
        {"b2222", "", {"d4444", "c3333", "b2222"}},
        {"", "b2222", {"b2222", "a1111"}},
        {"b222", "c333", {"c3333", "b2222"}},
        {"base", "head", {"d4444", "c3333", "b2222", "a1111"}},
        {"", "head-1", {"c3333", "b2222", "a1111"}},
        {"", "b2222+1", {"c3333", "b2222", "a1111"}},
        {"", "+2", {"b2222", "a1111"}},
        {"b2222", "+1", {"c3333", "b2222"}},
        {"c3333", "heads", {"d4444", "c3333"}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.lower);
        CAPTURE(c.upper);
        CHECK(ids(g, g.history(c.lower, c.upper)) == c.expected);
    }
    CHECK_THROWS_WITH_AS(g.history("d4444", "b2222"),
                         "Requested range d4444:b2222 does not refer to ancestor/descendant revisions "
                         "along the same branch", ResolutionError);
}

TEST_CASE("resolving identifiers, with Alembic's errors") {
    Graph g({rev("ae1027a6acf"), rev("ae1099aaaaa", {"ae1027a6acf"}), rev("kilo", {"ae1099aaaaa"}, {"web"}),
             rev("1975ea83b712", {"ae1027a6acf"})});
    struct Case {
        const char* ident;
        V expected;
        const char* error;
    };
    std::vector<Case> cases = {
        {"ae1027", {"ae1027a6acf"}, nullptr},
        {"kilo", {"kilo"}, nullptr},
        {"web", {"kilo"}, nullptr},
        {"web@head", {"kilo"}, nullptr},
        {"base", {}, nullptr},
        {"heads", {"kilo", "1975ea83b712"}, nullptr},
        {"ae10", {}, "Multiple revisions start with 'ae10': 'ae1027a6acf', 'ae1099aaaaa'..."},
        {"zzzz", {}, "No such revision or branch 'zzzz'"},
        {"ae", {}, "Multiple revisions start with 'ae': 'ae1027a6acf', 'ae1099aaaaa'..."},
        {"zz", {},
         "No such revision or branch 'zz'; please ensure at least four characters are present "
         "for partial revision identifier matches"},
        {"head", {},
         "Multiple head revisions are present for given argument 'head'; please specify a "
         "specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' "
         "for all heads (1975ea83b712, kilo)"},
        {"nope@head", {}, "No such revision or branch 'nope'"},
        {"nope@abcd", {}, "No such branch: 'nope'"},
        {"web@1975ea", {}, "No such revision or branch '1975ea'"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.ident);
        if (c.error != nullptr) {
            CHECK_THROWS_WITH_AS(g.resolve(c.ident), c.error, ResolutionError);
        } else {
            CHECK(ids(g, g.resolve(c.ident)) == c.expected);
        }
    }
}

TEST_CASE("graph problems are findings with file and line") {
    struct Case {
        const char* name;
        std::vector<Revision> revs;
        V codes;
        const char* message;
    };
    std::string long_id(33, 'a');
    std::vector<Case> cases = {
        {"duplicate id", {rev("a"), rev("a", {"x"})}, {"duplicate-revision"},
         "revision id 'a' is also declared in versions/a.py:1; give one of them a new id"},
        {"missing parent", {rev("a"), rev("b", {"abc"})}, {"missing-parent"},
         "down_revision 'abc' of revision b is not a known revision; fix the id, or restore the "
         "missing revision file"},
        {"missing parent with a suggestion", {rev("abcdef1"), rev("b", {"abcdefl"})},
         {"missing-parent"},
         "down_revision 'abcdefl' of revision b is not a known revision (did you mean "
         "'abcdef1'?); fix the id, or restore the missing revision file"},
        {"missing dependency", {rev("a"), rev("b", {"a"}, {}, {"zz"})}, {"missing-dependency"},
         "depends_on 'zz' of revision b is not a known revision or branch label"},
        {"cycle", {rev("a", {"c"}), rev("b", {"a"}), rev("c", {"b"}), rev("d", {"c"})}, {"cycle"},
         "revisions form a cycle through down_revision/depends_on: a (versions/a.py), b "
         "(versions/b.py), c (versions/c.py); one of them must name an older parent"},
        {"too long", {rev(long_id)}, {"revision-id-too-long"},
         "revision id 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' has 33 characters; "
         "alembic_version.version_num holds 32"},
        {"duplicate label", {rev("a", {}, {"x"}), rev("b", {}, {"x"})}, {"duplicate-branch-label"},
         "branch label 'x' of revision b is already used by revision a (versions/a.py:1)"},
    };
    for (auto& c : cases) {
        CAPTURE(c.name);
        Graph g(c.revs);
        CHECK(codes(g) == c.codes);
        REQUIRE_FALSE(g.findings().empty());
        CHECK(g.findings()[0].message == c.message);
        // Every query still terminates on a damaged graph.
        CHECK_NOTHROW(g.history("", ""));
        CHECK_NOTHROW(g.heads());
    }
}

TEST_CASE("a cycle of any size never hangs") {
    std::vector<Revision> revs;
    for (int i = 0; i < 2000; ++i) {
        revs.push_back(rev("r" + std::to_string(i), {"r" + std::to_string((i + 1) % 2000)}));
    }
    Graph g(revs);
    CHECK(codes(g) == V{"cycle"});
    CHECK(g.history("", "").size() == 2000);
}

TEST_CASE("heads check: one head per branch label, no unlabelled second head") {
    struct Case {
        const char* name;
        std::vector<Revision> revs;
        std::optional<int> expected;
        V messages;
    };
    std::vector<Case> cases = {
        {"one head", {rev("a"), rev("b", {"a"})}, std::nullopt, {}},
        {"two unlabelled heads", {rev("a"), rev("b", {"a"}), rev("c", {"a"})}, std::nullopt,
         {"the history has 2 heads: b (versions/b.py:1), c (versions/c.py:1); write a merge "
          "revision: alembic merge -m \"merge heads\" b c"}},
        {"one head per label", {rev("a", {}, {"expand"}), rev("b", {}, {"contract"})},
         std::nullopt, {}},
        {"a label with two heads",
         {rev("a", {}, {"expand"}), rev("b", {"a"}), rev("c", {"a"}), rev("d", {}, {"contract"})},
         std::nullopt,
         {"branch 'expand' has 2 heads: b (versions/b.py:1), c (versions/c.py:1); write a merge "
          "revision: alembic merge -m \"merge heads\" b c"}},
        {"an unlabelled second head", {rev("a", {}, {"expand"}), rev("b")}, std::nullopt,
         {"the history has 2 heads and not every one has a branch label: a (versions/a.py:1), b "
          "(versions/b.py:1); write a merge revision: alembic merge -m \"merge heads\" a b"}},
        {"expected count met", {rev("a"), rev("b")}, 2, {}},
        {"expected count missed", {rev("a")}, 2,
         {"the history has 1 head where 2 are expected (config/migcheck.yaml): a "
          "(versions/a.py:1); write a merge revision: alembic merge -m \"merge heads\" a"}},
    };
    for (auto& c : cases) {
        CAPTURE(c.name);
        Graph g(c.revs);
        V messages;
        for (const auto& f : check_heads(g, c.expected)) {
            CHECK(f.code == "multiple-heads");
            messages.push_back(f.message);
        }
        CHECK(messages == c.messages);
    }
}

TEST_CASE("a long linear history walks in order") {
    std::vector<Revision> revs;
    for (int i = 0; i < 10000; ++i) {
        revs.push_back(i == 0 ? rev("r0") : rev("r" + std::to_string(i), {"r" + std::to_string(i - 1)}));
    }
    Graph g(revs);
    auto order = g.history("", "");
    REQUIRE(order.size() == 10000);
    CHECK(g.at(order.front()).id == "r9999");
    CHECK(g.at(order.back()).id == "r0");
}

TEST_CASE("edges: children, parents, dependencies and their normalised form") {
    // d is a dependency of b, so c's own dependency on d adds nothing.
    Graph g({rev("a"), rev("d"), rev("b", {"a"}, {}, {"d"}), rev("c", {"b"}, {}, {"d"}),
             rev("e", {"a"})});
    auto at = [&](const char* id) { return *g.find(id); };
    CHECK(g.next(at("a")) == std::vector<int>{at("b"), at("e")});
    CHECK(g.next(at("d")).empty());
    CHECK(g.all_next(at("d")) == std::vector<int>{at("b"), at("c")});
    CHECK(g.down(at("c")) == std::vector<int>{at("b")});
    CHECK(g.dependencies(at("c")) == std::vector<int>{at("d")});
    CHECK(g.normalized_down(at("b")) == std::vector<int>{at("a"), at("d")});
    CHECK(g.normalized_down(at("c")) == std::vector<int>{at("b")});
    CHECK(g.normalized_down(at("a")).empty());
    // Code that kept these lists as vectors still can.
    std::vector<int> kept = g.next(at("a"));
    kept.push_back(-1);
    CHECK(kept.size() == 3);
    CHECK(ids(g, g.heads()) == V{"c", "d", "e"});
    CHECK(ids(g, g.real_heads()) == V{"c", "e"});
}

TEST_CASE("a duplicate id is left out and the rest of the graph stays whole") {
    Graph g({rev("a"), rev("b", {"a"}), rev("a", {"x"}), rev("c", {"b"})});
    CHECK(codes(g) == V{"duplicate-revision"});
    REQUIRE(g.size() == 3);
    CHECK(g.at(*g.find("a")).down_revisions.empty());
    CHECK(g.next(*g.find("b")) == std::vector<int>{*g.find("c")});
    CHECK(history_lines(g) == V{"b -> c (head), msg c", "a -> b, msg b", "<base> -> a, msg a"});
}

TEST_CASE("branch labels: inherited along a branch, sorted, shared") {
    Graph g({rev("r"), rev("a", {"r"}, {"zeta", "alpha"}), rev("b", {"a"}), rev("c", {"r"})});
    CHECK(g.labels(*g.find("a")) == V{"alpha", "zeta"});
    CHECK(g.labels(*g.find("b")) == V{"alpha", "zeta"});
    CHECK(&g.labels(*g.find("a")) == &g.labels(*g.find("b")));
    CHECK(g.labels(*g.find("r")).empty());
    CHECK(g.labels(*g.find("c")).empty());
    // More labels than one machine word holds.
    std::vector<Revision> revs{rev("root")};
    for (int k = 0; k < 70; ++k) {
        std::string n = std::to_string(100 + k);
        revs.push_back(rev("b" + n, {"root"}, {"l" + n}));
        revs.push_back(rev("t" + n, {"b" + n}));
    }
    Graph wide(revs);
    CHECK(wide.findings().empty());
    CHECK(wide.labels(*wide.find("t169")) == V{"l169"});
    CHECK(wide.labels(*wide.find("b100")) == V{"l100"});
    CHECK(wide.labels(*wide.find("root")).empty());
    CHECK(heads_line(wide, *wide.find("t164")) == "t164 (l164) (head)");
}

TEST_CASE("dependencies an ancestor already has are dropped, however many revisions have some") {
    // 70 revisions in a line (more than one 64-bit word of them), each
    // depending on x and on the one before its parent: only the first keeps
    // x, which an ancestor of every other already depends on; each keeps its
    // other dependency, which none of its ancestors has.
    std::vector<Revision> revs{rev("x")};
    for (int k = 0; k < 70; ++k) {
        V down = k == 0 ? V{} : V{"r" + std::to_string(k - 1)};
        V deps{"x"};
        if (k >= 2) {
            deps.push_back("r" + std::to_string(k - 2));
        }
        revs.push_back(rev("r" + std::to_string(k), down, {}, deps));
    }
    Graph g(revs);
    auto at = [&](const std::string& id) { return *g.find(id); };
    CHECK(g.normalized_down(at("r0")) == std::vector<int>{at("x")});
    CHECK(g.normalized_down(at("r1")) == std::vector<int>{at("r0")});
    CHECK(g.normalized_down(at("r2")) == std::vector<int>{at("r1"), at("r0")});
    CHECK(g.normalized_down(at("r69")) == std::vector<int>{at("r68"), at("r67")});
    CHECK(ids(g, g.history("", "")).front() == "r69");
}
