#include "migcheck/schema/compare.hpp"

#include "migcheck/schema/compare_detail.hpp"
#include "migcheck/schema/normalise.hpp"

#include <algorithm>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace migcheck::schema {

namespace detail {

Difference difference(DifferenceKind kind, const std::string& table, std::string column,
                      std::string expected, std::string actual, Location expected_at,
                      Location actual_at) {
    Difference d;
    d.kind = kind;
    d.table = table;
    d.column = std::move(column);
    d.expected = std::move(expected);
    d.actual = std::move(actual);
    d.expected_at = std::move(expected_at);
    d.actual_at = std::move(actual_at);
    return d;
}

std::string render_columns(const std::vector<std::string>& columns) {
    std::string out = "(";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        out += (i == 0 ? "" : ", ") + columns[i];
    }
    return out + ")";
}

}  // namespace detail

namespace {

using detail::difference;

bool has_numeric_affinity(TypeKind kind) {
    return is_integer_kind(kind) || kind == TypeKind::numeric || kind == TypeKind::float_;
}

bool has_foreign_key(const Table& table, const Column& column) {
    if (column.foreign_key) {
        return true;
    }
    return std::any_of(table.foreign_keys.begin(), table.foreign_keys.end(), [&](const auto& fk) {
        return std::find(fk.columns.begin(), fk.columns.end(), column.name) != fk.columns.end();
    });
}

// SQLAlchemy ignores the flag outside the primary key; inside it, "auto"
// means a lone key column of numeric affinity with no foreign key and no
// server default.
bool effective_autoincrement(const Table& table, const Column& column) {
    auto key = table.primary_key_columns();
    if (std::find(key.begin(), key.end(), column.name) == key.end()) {
        return false;
    }
    if (column.autoincrement) {
        return *column.autoincrement;
    }
    return key.size() == 1 && key[0] == column.name && has_numeric_affinity(column.type.kind) &&
           !has_foreign_key(table, column) && !column.server_default;
}

// "en" against "'en'": the usual slip of writing a string default without the
// quotes SQL needs.
bool only_quotes_differ(const std::string& x, const std::string& y) {
    return x == "'" + y + "'" || y == "'" + x + "'";
}

const char* nullability(bool nullable) {
    return nullable ? "nullable" : "NOT NULL";
}
const char* key_membership(bool in_key) {
    return in_key ? "primary key" : "not primary key";
}
const char* autoincrement_text(bool on) {
    return on ? "autoincrement=True" : "autoincrement=False";
}

void compare_column(const Table& et, const Column& e, const Table& at, const Column& a,
                    std::vector<Difference>& out) {
    auto add = [&](DifferenceKind kind, std::string ev, std::string av) {
        out.push_back(
            difference(kind, et.name, e.name, std::move(ev), std::move(av), e.where, a.where));
    };
    // Equal parameters render alike: most columns are spared rendering.
    bool same_type = e.type.kind == a.type.kind && e.type.length == a.type.length &&
                     e.type.precision == a.type.precision && e.type.scale == a.type.scale &&
                     e.type.timezone == a.type.timezone && e.type.enum_values == a.type.enum_values &&
                     e.type.enum_name == a.type.enum_name && e.type.declared == a.type.declared;
    if (!same_type) {
        std::string etype = render_type(e.type);
        std::string atype = render_type(a.type);
        if (etype != atype) {
            add(DifferenceKind::type, etype, atype);
        }
    }
    bool e_key = et.in_primary_key(e.name);
    bool a_key = at.in_primary_key(a.name);
    if (e_key != a_key) {
        add(DifferenceKind::primary_key, key_membership(e_key), key_membership(a_key));
    }
    // A key column is NOT NULL in the database whatever the flag says.
    bool e_null = e.nullable && !e_key;
    bool a_null = a.nullable && !a_key;
    if (e_null != a_null) {
        add(DifferenceKind::nullable, nullability(e_null), nullability(a_null));
    }
    if (e.autoincrement || a.autoincrement) {
        bool e_auto = effective_autoincrement(et, e);
        bool a_auto = effective_autoincrement(at, a);
        if (e_auto != a_auto) {
            add(DifferenceKind::autoincrement, autoincrement_text(e_auto),
                autoincrement_text(a_auto));
        }
    }
    bool same_default = e.server_default == a.server_default && e.type.kind == a.type.kind;
    if (!same_default && normalise_server_default(e.server_default, e.type.kind) !=
                             normalise_server_default(a.server_default, a.type.kind)) {
        add(DifferenceKind::server_default, e.server_default.value_or(""),
            a.server_default.value_or(""));
        if (e.server_default && a.server_default &&
            only_quotes_differ(*e.server_default, *a.server_default)) {
            out.back().note = "server_default is SQL text: a string needs single quotes inside, "
                              "as in server_default: \"'en'\"";
        }
    }
    if (e.comment != a.comment) {
        add(DifferenceKind::comment, e.comment, a.comment);
    }
}

// The column on the other side that a rename explains, for the note.
std::string rename_note_missing(const Column& missing, const Table& actual) {
    if (!missing.renamed_from.empty() && actual.find_column(missing.renamed_from) != nullptr) {
        return "it is declared as renamed from " + missing.renamed_from +
               ", which is still there: the rename has not been made";
    }
    return "";
}

std::string rename_note_extra(const Column& extra, const Table& expected) {
    for (const auto& c : expected.columns) {
        if (c.renamed_from == extra.name) {
            return c.name + " is declared as renamed from it: the rename has not been made";
        }
    }
    return "";
}

void compare_tables(const Table& e, const Table& a, std::vector<Difference>& out) {
    for (const auto& ec : e.columns) {
        const Column* ac = a.find_column(ec.name);
        if (ac == nullptr) {
            out.push_back(difference(DifferenceKind::column_missing, e.name, ec.name, "", "",
                                     ec.where, a.where));
            out.back().note = rename_note_missing(ec, a);
        } else {
            compare_column(e, ec, a, *ac, out);
        }
    }
    for (const auto& ac : a.columns) {
        if (e.find_column(ac.name) == nullptr) {
            out.push_back(difference(DifferenceKind::column_extra, e.name, ac.name, "", "", e.where,
                                     ac.where));
            out.back().note = rename_note_extra(ac, e);
        }
    }
    detail::compare_primary_key_names(e, a, out);
    detail::compare_indexes(e, a, out);
    detail::compare_unique_constraints(e, a, out);
    detail::compare_foreign_keys(e, a, out);
    if (e.comment != a.comment) {
        out.push_back(difference(DifferenceKind::comment, e.name, "", e.comment, a.comment, e.where,
                                 a.where));
    }
}

}  // namespace

const char* difference_kind_name(DifferenceKind kind) {
    switch (kind) {
    case DifferenceKind::table_missing:
        return "table_missing";
    case DifferenceKind::table_extra:
        return "table_extra";
    case DifferenceKind::column_missing:
        return "column_missing";
    case DifferenceKind::column_extra:
        return "column_extra";
    case DifferenceKind::type:
        return "type";
    case DifferenceKind::nullable:
        return "nullable";
    case DifferenceKind::primary_key:
        return "primary_key";
    case DifferenceKind::autoincrement:
        return "autoincrement";
    case DifferenceKind::server_default:
        return "server_default";
    case DifferenceKind::foreign_key:
        return "foreign_key";
    case DifferenceKind::unique:
        return "unique";
    case DifferenceKind::index:
        return "index";
    case DifferenceKind::comment:
        return "comment";
    }
    return "?";
}

std::vector<Difference> compare(const Schema& expected, const Schema& actual) {
    std::vector<Difference> out;
    // By name, once: schemas of hundreds of tables are compared whole.
    std::unordered_map<std::string_view, const Table*> actual_tables;
    actual_tables.reserve(actual.tables.size());
    for (const auto& t : actual.tables) {
        actual_tables.emplace(t.name, &t);  // the first of a name, as find_table
    }
    for (const auto& et : expected.tables) {
        auto found = actual_tables.find(et.name);
        const Table* at = found == actual_tables.end() ? nullptr : found->second;
        if (at == nullptr) {
            out.push_back(difference(DifferenceKind::table_missing, et.name, "", "", "", et.where,
                                     Location{}));
            if (!et.renamed_from.empty() && actual.find_table(et.renamed_from) != nullptr) {
                out.back().note = "it is declared as renamed from " + et.renamed_from +
                                  ", which is still there: the rename has not been made";
            }
        } else {
            compare_tables(et, *at, out);
        }
    }
    std::unordered_set<std::string_view> expected_names;
    expected_names.reserve(expected.tables.size());
    for (const auto& t : expected.tables) {
        expected_names.insert(t.name);
    }
    for (const auto& at : actual.tables) {
        if (expected_names.count(at.name) == 0U) {
            out.push_back(
                difference(DifferenceKind::table_extra, at.name, "", "", "", Location{}, at.where));
            for (const auto& et : expected.tables) {
                if (et.renamed_from == at.name) {
                    out.back().note =
                        et.name + " is declared as renamed from it: the rename has not been made";
                }
            }
        }
    }
    std::sort(out.begin(), out.end(), [](const Difference& x, const Difference& y) {
        return std::tie(x.table, x.column, x.kind, x.name, x.expected, x.actual) <
               std::tie(y.table, y.column, y.kind, y.name, y.expected, y.actual);
    });
    return out;
}

}  // namespace migcheck::schema
