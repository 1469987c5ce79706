#include "migcheck/migrate/plan.hpp"

#include <doctest/doctest.h>
#include <string>

namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
    static String convert(const std::vector<std::string>& v) {
        std::string out = "{";
        for (const auto& s : v) {
            out += "\"" + s + "\" ";
        }
        return (out + "}").c_str();
    }
};
}  // namespace doctest

using namespace migcheck;
using namespace migcheck::migrate;
using revision::Graph;
using revision::ResolutionError;
using revision::Revision;

namespace {

using V = std::vector<std::string>;

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

// a1 - a2 - a3, a linear history.
Graph linear() {
    return Graph({rev("a1"), rev("a2", {"a1"}), rev("a3", {"a2"})});
}

// r1 forks into b1 (labelled "blue") and c1, which m1 merges.
Graph diamond() {
    return Graph({rev("r1"), rev("b1", {"r1"}, {"blue"}), rev("c1", {"r1"}), rev("m1", {"b1", "c1"})});
}

std::vector<int> at(const Graph& g, const V& names) {
    std::vector<int> out;
    for (const auto& n : names) {
        out.push_back(*g.find(n));
    }
    return out;
}

// Steps as "+id" (up) and "-id" (down).
V steps_text(const Graph& g, const std::vector<Step>& steps) {
    V out;
    for (const auto& s : steps) {
        out.push_back((s.upgrade ? "+" : "-") + g.at(s.revision).id);
    }
    return out;
}

// Runs the steps from no rows, as the version table would see them: each
// change as text.
V replay_rows(const Graph& g, const std::vector<Step>& steps, std::set<std::string>& heads) {
    V out;
    for (const auto& s : steps) {
        for (const auto& c : version_changes(g, s, heads)) {
            switch (c.kind) {
            case RowChange::Kind::insert:
                out.push_back("insert " + c.to);
                break;
            case RowChange::Kind::remove:
                out.push_back("delete " + c.from);
                break;
            case RowChange::Kind::update:
                out.push_back("update " + c.from + " -> " + c.to);
                break;
            }
        }
    }
    return out;
}

}  // namespace

TEST_CASE("migrate plan: upgrade from base runs every revision, parents first") {
    Graph g = linear();
    CHECK(steps_text(g, plan_upgrade(g, {}, g.real_heads())) == V{"+a1", "+a2", "+a3"});
    CHECK(steps_text(g, plan_upgrade(g, at(g, {"a1"}), g.real_heads())) == V{"+a2", "+a3"});
    CHECK(plan_upgrade(g, at(g, {"a3"}), g.real_heads()).empty());
}

TEST_CASE("migrate plan: a merge runs after both of its parents") {
    Graph g = diamond();
    CHECK(steps_text(g, plan_upgrade(g, {}, g.real_heads())) == V{"+r1", "+b1", "+c1", "+m1"});
}

TEST_CASE("migrate plan: version rows move as Alembic moves them") {
    Graph g = diamond();
    std::set<std::string> heads;
    CHECK(replay_rows(g, plan_upgrade(g, {}, g.real_heads()), heads) ==
          V{"insert r1", "update r1 -> b1", "insert c1", "delete b1", "update c1 -> m1"});
    CHECK(heads == std::set<std::string>{"m1"});
    // Down again: the merge is unmerged into its two parents; the first
    // branch to go down is deleted (the other still stands on r1), the
    // second steps down to r1.
    CHECK(replay_rows(g, plan_downgrade(g, at(g, {"m1"}), {}), heads) ==
          V{"update m1 -> c1", "insert b1", "delete c1", "update b1 -> r1", "delete r1"});
    CHECK(heads.empty());
}

TEST_CASE("migrate plan: a downgrade to a branch's parent leaves the other branch") {
    Graph g = diamond();
    // At b1 and c1 (before the merge), downgrade to r1 along blue only.
    std::vector<Step> steps = plan_downgrade(g, at(g, {"b1", "c1"}), at(g, {"r1"}));
    CHECK(steps_text(g, steps) == V{"-c1", "-b1"});
    std::vector<Step> one = plan_downgrade(
        g, at(g, {"b1", "c1"}), downgrade_targets(g, at(g, {"b1", "c1"}), "blue@-1"), "blue");
    CHECK(steps_text(g, one) == V{"-b1"});
}

TEST_CASE("migrate plan: targets") {
    Graph g = linear();
    auto names = [&](const std::vector<int>& revs) {
        V out;
        for (int r : revs) {
            out.push_back(g.at(r).id);
        }
        return out;
    };
    CHECK(names(upgrade_targets(g, {}, "")) == V{"a3"});
    CHECK(names(upgrade_targets(g, {}, "+2")) == V{"a2"});
    CHECK(names(upgrade_targets(g, at(g, {"a1"}), "+1")) == V{"a2"});
    CHECK(names(upgrade_targets(g, {}, "a1+1")) == V{"a2"});
    CHECK(names(downgrade_targets(g, at(g, {"a3"}), "-1")) == V{"a2"});
    CHECK(names(downgrade_targets(g, at(g, {"a3"}), "-3")).empty());
    CHECK(names(downgrade_targets(g, at(g, {"a3"}), "base")).empty());
    CHECK_THROWS_WITH_AS(upgrade_targets(g, at(g, {"a3"}), "+1"),
                         "Relative revision +1 didn't produce 1 migrations", ResolutionError);
    CHECK_THROWS_WITH_AS(downgrade_targets(g, at(g, {"a1"}), "-2"),
                         "Relative revision -2 didn't produce 2 migrations", ResolutionError);
    CHECK_THROWS_WITH_AS(upgrade_targets(g, {}, "-1"),
                         "relative target -1 goes down; use downgrade", ResolutionError);
    CHECK_THROWS_WITH_AS(plan_downgrade(g, at(g, {"a1"}), at(g, {"a3"})),
                         "Destination a3 is not a valid downgrade target from current head(s)",
                         ResolutionError);
}

TEST_CASE("migrate plan: a relative target from several current revisions is ambiguous") {
    Graph g = diamond();
    CHECK_THROWS_WITH_AS(upgrade_targets(g, at(g, {"b1", "c1"}), "+1"),
                         "Ambiguous relative target '+1' from multiple current revisions; give "
                         "label@+1 or a revision id",
                         ResolutionError);
    CHECK_THROWS_WITH_AS(upgrade_targets(g, at(g, {"r1"}), "+1"),
                         "Ambiguous walk from r1 for relative target +1", ResolutionError);
}

TEST_CASE("migrate plan: an unknown version row is a usage error") {
    Graph g = linear();
    CHECK_THROWS_WITH(current_revisions(g, {"zz9"}),
                      "the database is at revision 'zz9', which no revision file declares; "
                      "restore its file, or set the database's revision with `manage_migrations "
                      "stamp --purge REVISION`");
}

TEST_CASE("migrate plan: stamp keeps unrelated branches unless purged") {
    Graph g({rev("a1", {}, {"left"}), rev("a2", {"a1"}), rev("b1", {}, {"right"}), rev("b2", {"b1"})});
    CHECK(plan_stamp(g, at(g, {"a2", "b2"}), at(g, {"a1"}), false) == V{"a1", "b2"});
    CHECK(plan_stamp(g, at(g, {"a2", "b2"}), at(g, {"a1"}), true) == V{"a1"});
    CHECK(plan_stamp(g, at(g, {"a2", "b2"}), {}, false).empty());
    CHECK(plan_stamp(g, {}, at(g, {"a1", "a2"}), false) == V{"a2"});
}

TEST_CASE("migrate plan: depends_on runs the dependency first") {
    Graph g({rev("a1"), rev("b1", {}, {}, {"a2"}), rev("a2", {"a1"})});
    CHECK(steps_text(g, plan_upgrade(g, {}, at(g, {"b1"}))) == V{"+a1", "+a2", "+b1"});
}
