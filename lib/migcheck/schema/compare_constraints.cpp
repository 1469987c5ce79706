// Matching indexes, unique constraints and foreign keys between two tables:
// objects are paired by what makes them the same object, then what is left
// over on either side is missing or extra.
#include "migcheck/schema/compare_detail.hpp"
#include "migcheck/schema/normalise.hpp"

#include <algorithm>
#include <utility>

namespace migcheck::schema::detail {
namespace {

using Names = std::vector<std::string>;

Names sorted(Names names) {
    std::sort(names.begin(), names.end());
    return names;
}

// The column a one-column object is about, so that its difference reads
// "column t.c" and sorts with that column's other differences.
std::string subject_column(const Names* e, const Names* a) {
    const Names& cols = e != nullptr ? *e : *a;
    if (cols.size() != 1) {
        return "";
    }
    if (e != nullptr && a != nullptr && *e != *a) {
        return "";
    }
    return cols[0];
}

// Pairs objects of two lists not paired yet, in declaration order: `same(x,
// y)` decides a pair, `found(x, y)` is told of each; the flags record who is
// paired.
template <typename T, typename Same, typename Found>
void pair_up(const std::vector<T>& e, const std::vector<T>& a, std::vector<bool>& e_used,
             std::vector<bool>& a_used, Same same, Found found) {
    for (std::size_t i = 0; i < e.size(); ++i) {
        for (std::size_t j = 0; j < a.size() && !e_used[i]; ++j) {
            if (!a_used[j] && same(e[i], a[j])) {
                e_used[i] = true;
                a_used[j] = true;
                found(e[i], a[j]);
            }
        }
    }
}

bool both_named(const std::string& x, const std::string& y) {
    return !x.empty() && !y.empty();
}

std::string render_index(const Index& index) {
    std::string out = index.name.empty() ? "" : index.name + " ";
    out += render_columns(index.columns);
    return index.unique ? out + " unique" : out;
}

std::string render_unique(const UniqueConstraint& unique) {
    return (unique.name.empty() ? "" : unique.name + " ") + render_columns(unique.columns);
}

std::string render_foreign_key(const ForeignKey& fk, bool with_name) {
    std::string out;
    if (fk.columns.size() == 1 && fk.referred_columns.size() == 1) {
        out = "to " + fk.referred_table + "." + fk.referred_columns[0];
    } else {
        out = render_columns(fk.columns) + " to " + fk.referred_table + " " +
              render_columns(fk.referred_columns);
    }
    std::string on_delete = normalise_action(fk.on_delete);
    std::string on_update = normalise_action(fk.on_update);
    if (!on_delete.empty()) {
        out += " ON DELETE " + on_delete;
    }
    if (!on_update.empty()) {
        out += " ON UPDATE " + on_update;
    }
    if (with_name && !fk.name.empty()) {
        out += " named " + fk.name;
    }
    return out;
}

// Local columns with the columns they refer to, in column order: a composite
// key's columns may be listed in any order.
std::vector<std::pair<std::string, std::string>> column_pairs(const ForeignKey& fk) {
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < fk.columns.size(); ++i) {
        out.emplace_back(fk.columns[i],
                         i < fk.referred_columns.size() ? fk.referred_columns[i] : "");
    }
    std::sort(out.begin(), out.end());
    return out;
}

const Index* unique_index_on(const std::vector<Index>& indexes, const Names& columns) {
    for (const auto& i : indexes) {
        if (i.unique && sorted(i.columns) == sorted(columns)) {
            return &i;
        }
    }
    return nullptr;
}

const UniqueConstraint* constraint_on(const std::vector<UniqueConstraint>& constraints,
                                      const Names& columns) {
    for (const auto& u : constraints) {
        if (sorted(u.columns) == sorted(columns)) {
            return &u;
        }
    }
    return nullptr;
}

// The difference between an object on each side, either of which may be
// missing (nullptr); `render` writes one side's object as text.
template <typename T, typename Render>
Difference object_difference(DifferenceKind kind, const Table& et, const Table& at, const T* x,
                             const T* y, Render render) {
    Difference d = difference(
        kind, et.name, subject_column(x ? &x->columns : nullptr, y ? &y->columns : nullptr),
        x ? render(*x) : "", y ? render(*y) : "", x ? x->where : et.where, y ? y->where : at.where);
    d.name = x != nullptr && !x->name.empty() ? x->name : (y != nullptr ? y->name : "");
    return d;
}

}  // namespace

void compare_indexes(const Table& et, const Table& at, std::vector<Difference>& out) {
    auto e = et.all_indexes();
    auto a = at.all_indexes();
    std::vector<bool> e_used(e.size());
    std::vector<bool> a_used(a.size());
    auto report = [&](const Index* x, const Index* y) {
        out.push_back(object_difference(DifferenceKind::index, et, at, x, y, render_index));
    };
    auto same_name = [](const Index& x, const Index& y) {
        return !x.name.empty() && x.name == y.name;
    };
    auto same_shape = [](const Index& x, const Index& y) {
        return x.columns == y.columns && x.unique == y.unique;
    };
    pair_up(e, a, e_used, a_used, same_name, [&](const Index& x, const Index& y) {
        if (!same_shape(x, y)) {
            report(&x, &y);
        }
    });
    // An index without a name matches on its shape; two names that differ on
    // one shape are one renamed index, reported once.
    pair_up(e, a, e_used, a_used, same_shape, [&](const Index& x, const Index& y) {
        if (both_named(x.name, y.name)) {
            report(&x, &y);
        }
    });
    auto e_constraints = et.all_unique_constraints();
    auto a_constraints = at.all_unique_constraints();
    // A unique index on one side and a unique constraint on the same columns
    // on the other both make the columns unique: one fact, two spellings
    // (`unique=True` against an explicit unique index), not a difference.
    for (std::size_t i = 0; i < e.size(); ++i) {
        if (!e_used[i] && !(e[i].unique && constraint_on(a_constraints, e[i].columns))) {
            report(&e[i], nullptr);
        }
    }
    for (std::size_t j = 0; j < a.size(); ++j) {
        if (!a_used[j] && !(a[j].unique && constraint_on(e_constraints, a[j].columns))) {
            report(nullptr, &a[j]);
        }
    }
}

void compare_unique_constraints(const Table& et, const Table& at, std::vector<Difference>& out) {
    auto e = et.all_unique_constraints();
    auto a = at.all_unique_constraints();
    std::vector<bool> e_used(e.size());
    std::vector<bool> a_used(a.size());
    auto report = [&](const UniqueConstraint* x, const UniqueConstraint* y) {
        out.push_back(object_difference(DifferenceKind::unique, et, at, x, y, render_unique));
    };
    auto same_columns = [](const UniqueConstraint& x, const UniqueConstraint& y) {
        return sorted(x.columns) == sorted(y.columns);
    };
    auto found = [&](const UniqueConstraint& x, const UniqueConstraint& y) {
        if (both_named(x.name, y.name) && x.name != y.name) {
            report(&x, &y);
        }
    };
    // Same columns and name first, so that two constraints on one set of
    // columns pair with their namesakes.
    pair_up(
        e, a, e_used, a_used,
        [&](const auto& x, const auto& y) { return same_columns(x, y) && x.name == y.name; },
        found);
    pair_up(e, a, e_used, a_used, same_columns, found);
    pair_up(
        e, a, e_used, a_used,
        [](const auto& x, const auto& y) { return !x.name.empty() && x.name == y.name; },
        [&](const auto& x, const auto& y) { report(&x, &y); });
    auto e_indexes = et.all_indexes();
    auto a_indexes = at.all_indexes();
    // The other half of the rule in compare_indexes: a unique index on the
    // same columns stands for the constraint.
    for (std::size_t i = 0; i < e.size(); ++i) {
        if (!e_used[i] && unique_index_on(a_indexes, e[i].columns) == nullptr) {
            report(&e[i], nullptr);
        }
    }
    for (std::size_t j = 0; j < a.size(); ++j) {
        if (!a_used[j] && unique_index_on(e_indexes, a[j].columns) == nullptr) {
            report(nullptr, &a[j]);
        }
    }
}

void compare_foreign_keys(const Table& et, const Table& at, std::vector<Difference>& out) {
    auto e = et.all_foreign_keys();
    auto a = at.all_foreign_keys();
    std::vector<bool> e_used(e.size());
    std::vector<bool> a_used(a.size());
    auto report = [&](const ForeignKey* x, const ForeignKey* y, bool with_names) {
        out.push_back(
            object_difference(DifferenceKind::foreign_key, et, at, x, y, [&](const ForeignKey& fk) {
                return render_foreign_key(fk, with_names);
            }));
    };
    auto same_target = [](const ForeignKey& x, const ForeignKey& y) {
        return x.referred_table == y.referred_table && column_pairs(x) == column_pairs(y);
    };
    auto found = [&](const ForeignKey& x, const ForeignKey& y) {
        bool names = both_named(x.name, y.name);
        if (normalise_action(x.on_delete) != normalise_action(y.on_delete) ||
            normalise_action(x.on_update) != normalise_action(y.on_update) ||
            (names && x.name != y.name)) {
            report(&x, &y, names);
        }
    };
    pair_up(
        e, a, e_used, a_used,
        [&](const auto& x, const auto& y) { return same_target(x, y) && x.name == y.name; }, found);
    pair_up(e, a, e_used, a_used, same_target, found);
    // Left over on the same columns: one key whose target changed.
    pair_up(
        e, a, e_used, a_used,
        [](const auto& x, const auto& y) { return sorted(x.columns) == sorted(y.columns); },
        [&](const auto& x, const auto& y) { report(&x, &y, both_named(x.name, y.name)); });
    for (std::size_t i = 0; i < e.size(); ++i) {
        if (!e_used[i]) {
            report(&e[i], nullptr, true);
        }
    }
    for (std::size_t j = 0; j < a.size(); ++j) {
        if (!a_used[j]) {
            report(nullptr, &a[j], true);
        }
    }
}

void compare_primary_key_names(const Table& et, const Table& at, std::vector<Difference>& out) {
    if (!et.primary_key || !at.primary_key) {
        return;
    }
    const std::string& x = et.primary_key->name;
    const std::string& y = at.primary_key->name;
    if (both_named(x, y) && x != y) {
        out.push_back(difference(DifferenceKind::primary_key, et.name, "", "named " + x,
                                 "named " + y, et.primary_key->where, at.primary_key->where));
    }
}

}  // namespace migcheck::schema::detail
