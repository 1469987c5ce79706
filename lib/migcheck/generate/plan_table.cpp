#include "migcheck/generate/plan_detail.hpp"

#include "migcheck/schema/normalise.hpp"

#include <algorithm>
#include <set>

namespace migcheck::generate::detail {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ",") + item;
    }
    return out;
}

std::vector<std::string> sorted(std::vector<std::string> items) {
    std::sort(items.begin(), items.end());
    return items;
}

// Names count only when both sides have one, as in schema::compare.
bool same_name(const std::string& a, const std::string& b) {
    return a.empty() || b.empty() || a == b;
}

bool same_fk(const schema::ForeignKey& a, const schema::ForeignKey& b) {
    return a.columns == b.columns && a.referred_table == b.referred_table &&
           a.referred_columns == b.referred_columns &&
           schema::normalise_action(a.on_delete) == schema::normalise_action(b.on_delete) &&
           schema::normalise_action(a.on_update) == schema::normalise_action(b.on_update) &&
           same_name(a.name, b.name);
}

bool same_unique(const schema::UniqueConstraint& a, const schema::UniqueConstraint& b) {
    return sorted(a.columns) == sorted(b.columns) && same_name(a.name, b.name);
}

bool same_index(const schema::Index& a, const schema::Index& b) {
    return a.name == b.name && a.columns == b.columns && a.unique == b.unique;
}

template <class T, class Same>
bool has(const std::vector<T>& items, const T& item, Same same) {
    return std::any_of(items.begin(), items.end(), [&](const T& x) { return same(x, item); });
}

// Whether every column is dropped: the drop then takes an unnamed
// constraint along, and nothing needs its name.
bool all_dropped(const std::vector<std::string>& columns, const std::set<std::string>& dropped) {
    return std::all_of(columns.begin(), columns.end(),
                       [&](const auto& c) { return dropped.count(c) != 0U; });
}

bool effective_nullable(const schema::Table& t, const schema::Column& c) {
    return c.nullable && !t.in_primary_key(c.name);
}

// The alter_column that turns `b` into `a`, or nothing when they agree.
void alter(Planner& p, const schema::Table& before, const schema::Table& after,
           const schema::Column& b, const schema::Column& a) {
    ops::AlterColumn change;
    change.table = after.name;
    change.column = a.name;
    std::vector<std::string> cautions;
    if (schema::render_type(b.type) != schema::render_type(a.type)) {
        change.type = a.type;
        std::string why = narrowing(b.type, a.type);
        if (!why.empty()) {
            cautions.push_back(why);
        }
    }
    const bool nb = effective_nullable(before, b);
    const bool na = effective_nullable(after, a);
    if (nb != na && !after.in_primary_key(a.name)) {
        change.nullable = na;
        if (!na && !a.server_default) {
            cautions.push_back("makes " + after.name + "." + a.name +
                               " NOT NULL without a server default: fails while a row holds NULL");
        }
    }
    const bool default_changes = schema::normalise_server_default(b.server_default, b.type.kind) !=
                                 schema::normalise_server_default(a.server_default, a.type.kind);
    if (default_changes) {
        change.server_default.emplace(a.server_default);
    }
    if (b.comment != a.comment) {
        change.comment.emplace(a.comment.empty() ? std::nullopt
                                                 : std::optional<std::string>(a.comment));
    }
    if (!change.type && !change.nullable && !change.server_default && !change.comment) {
        return;
    }
    change.existing_type = b.type;
    change.existing_nullable = nb;
    if (!default_changes && b.server_default) {
        change.existing_server_default.emplace(b.server_default);
    }
    std::string caution;
    for (const auto& c : cautions) {
        caution += (caution.empty() ? "" : "; ") + c;
    }
    p.emit(std::move(change), true, caution);
}

}  // namespace

std::string narrowing(const schema::Type& from, const schema::Type& to) {
    using K = schema::TypeKind;
    const std::string change = "changes the type from " + schema::render_type(from) + " to " +
                               schema::render_type(to);
    if (from.kind == to.kind) {
        switch (from.kind) {
        case K::string:
        case K::binary:
            if (to.length && (!from.length || *to.length < *from.length)) {
                return change + ": longer values are cut or refused";
            }
            return {};
        case K::numeric:
            if ((to.precision && (!from.precision || *to.precision < *from.precision)) ||
                (to.scale.value_or(0) < from.scale.value_or(0))) {
                return change + ": digits are lost or values refused";
            }
            return {};
        case K::enum_:
            for (const auto& v : from.enum_values) {
                if (std::find(to.enum_values.begin(), to.enum_values.end(), v) ==
                    to.enum_values.end()) {
                    return change + ": rows holding '" + v + "' are refused";
                }
            }
            return {};
        default:
            return {};
        }
    }
    auto rank = [](K k) { return k == K::smallinteger ? 1 : k == K::integer ? 2 : 3; };
    if (schema::is_integer_kind(from.kind) && schema::is_integer_kind(to.kind) &&
        rank(from.kind) < rank(to.kind)) {
        return {};
    }
    if ((from.kind == K::string || from.kind == K::enum_) &&
        (to.kind == K::text || (to.kind == K::string && !to.length))) {
        return {};
    }
    return change + ": values that do not convert are lost or refused";
}

void plan_table(Planner& p, const schema::Table& before, const schema::Table& after) {
    const std::string& t = after.name;
    if (before.comment != after.comment) {
        p.warn(after, "the comment of table " + t +
                          " changes, which no operation generate writes expresses; "
                          "add op.create_table_comment() to the revision by hand");
    }
    std::set<std::string> dropped;
    for (const auto& c : before.columns) {
        if (after.find_column(c.name) == nullptr) {
            dropped.insert(c.name);
        }
    }
    const auto fk_before = before.all_foreign_keys();
    const auto fk_after = after.all_foreign_keys();
    const auto ix_before = before.all_indexes();
    const auto ix_after = after.all_indexes();
    const auto uq_before = before.all_unique_constraints();
    const auto uq_after = after.all_unique_constraints();
    const auto pk_before = before.primary_key_columns();
    const auto pk_after = after.primary_key_columns();
    const bool pk_changes = sorted(pk_before) != sorted(pk_after);

    // Drops first: a constraint goes before the columns it uses.
    auto drop_constraint = [&](const std::string& name, const std::vector<std::string>& columns,
                               const char* type, const std::string& what) {
        if (!name.empty()) {
            p.emit(ops::DropConstraint{t, name, type}, true);
        } else if (!all_dropped(columns, dropped)) {
            p.warn(after, "the " + what + " on " + t + " (" + joined(columns) +
                              ") has no name, so it cannot be dropped by name; drop it by hand "
                              "(batch mode rebuilds the table without it)");
        }
    };
    for (const auto& fk : fk_before) {
        if (!has(fk_after, fk, same_fk)) {
            drop_constraint(fk.name, fk.columns, "foreignkey", "foreign key");
        }
    }
    for (const auto& index : ix_before) {
        if (!has(ix_after, index, same_index)) {
            p.emit(ops::DropIndex{t, index.name}, true);
        }
    }
    for (const auto& u : uq_before) {
        if (!has(uq_after, u, same_unique)) {
            drop_constraint(u.name, u.columns, "unique", "unique constraint");
        }
    }
    if (pk_changes && !pk_before.empty()) {
        std::string name = before.primary_key ? before.primary_key->name : std::string();
        drop_constraint(name, pk_before, "primary", "primary key");
    }

    for (const auto& c : after.columns) {
        if (before.find_column(c.name) != nullptr) {
            continue;
        }
        schema::Column added = c;
        added.unique = false;
        added.index = false;
        added.primary_key = false;
        added.foreign_key.reset();
        added.renamed_from.clear();
        std::string caution;
        if (!c.nullable && !c.server_default) {
            caution = "adds NOT NULL column " + t + "." + c.name +
                      " without a server default: fails on a table that has rows";
        }
        p.emit(ops::AddColumn{t, std::move(added)}, true, caution);
    }
    for (const auto& a : after.columns) {
        if (const schema::Column* b = before.find_column(a.name)) {
            alter(p, before, after, *b, a);
        }
    }
    for (const auto& c : before.columns) {
        if (dropped.count(c.name) != 0U) {
            p.emit(ops::DropColumn{t, c.name}, true,
                   "drops column " + t + "." + c.name + " and its data");
        }
    }

    // Then what uses the columns.
    if (pk_changes && !pk_after.empty()) {
        std::string name = after.primary_key ? after.primary_key->name : std::string();
        p.emit(ops::CreatePrimaryKey{t, {name.empty() ? primary_key_name(t) : name, pk_after, {}}},
               true);
    }
    for (auto u : uq_after) {
        if (!has(uq_before, u, same_unique)) {
            if (u.name.empty()) {
                u.name = unique_name(t, u.columns);
            }
            p.emit(ops::CreateUniqueConstraint{t, std::move(u)}, true);
        }
    }
    for (const auto& index : ix_after) {
        if (!has(ix_before, index, same_index)) {
            p.emit(ops::CreateIndex{t, index}, true);
        }
    }
    for (auto fk : fk_after) {
        if (!has(fk_before, fk, same_fk)) {
            if (fk.name.empty()) {
                fk.name = foreign_key_name(t, fk);
            }
            p.emit(ops::CreateForeignKey{t, std::move(fk)}, true);
        }
    }
}

}  // namespace migcheck::generate::detail
