// One line per difference, naming both places, for text output.
#include "migcheck/schema/compare.hpp"

namespace migcheck::schema {
namespace {

std::string place(const Location& where, const std::string& label) {
    std::string s = to_string(where);
    return s.empty() ? label : s;
}

std::string subject(const Difference& d) {
    return d.column.empty() ? "table " + d.table : "column " + d.table + "." + d.column;
}

std::string or_none(const std::string& value) {
    return value.empty() ? "none" : value;
}

std::string quoted_or_none(const std::string& value) {
    return value.empty() ? "none" : "\"" + value + "\"";
}

// For objects that one side may lack: "<what> <value> in A but not in B".
std::string object(const std::string& what, const Difference& d, const std::string& e,
                   const std::string& a) {
    if (d.actual.empty()) {
        return what + " " + d.expected + " in " + e + " but not in " + a;
    }
    if (d.expected.empty()) {
        return what + " " + d.actual + " in " + a + " but not in " + e;
    }
    return what + " " + d.expected + " in " + e + " but " + d.actual + " in " + a;
}

}  // namespace

std::string describe(const Difference& d, const std::string& expected_label,
                     const std::string& actual_label) {
    std::string e = place(d.expected_at, expected_label);
    std::string a = place(d.actual_at, actual_label);
    std::string text;
    switch (d.kind) {
    case DifferenceKind::table_missing:
    case DifferenceKind::column_missing:
        text = "declared in " + e + " but not in " + a;
        break;
    case DifferenceKind::table_extra:
    case DifferenceKind::column_extra:
        text = "declared in " + a + " but not in " + e;
        break;
    case DifferenceKind::type:
        text = "type " + d.expected + " in " + e + " but " + d.actual + " in " + a;
        break;
    case DifferenceKind::nullable:
    case DifferenceKind::primary_key:
    case DifferenceKind::autoincrement:
        text = d.expected + " in " + e + " but " + d.actual + " in " + a;
        if (d.kind == DifferenceKind::primary_key && d.column.empty()) {
            text = "primary key " + text;
        }
        break;
    case DifferenceKind::server_default:
        text = "server default " + or_none(d.expected) + " in " + e + " but " + or_none(d.actual) +
               " in " + a;
        break;
    case DifferenceKind::comment:
        text = "comment " + quoted_or_none(d.expected) + " in " + e + " but " +
               quoted_or_none(d.actual) + " in " + a;
        break;
    case DifferenceKind::foreign_key:
        text = object("foreign key", d, e, a);
        break;
    case DifferenceKind::unique:
        text = object("unique constraint", d, e, a);
        break;
    case DifferenceKind::index:
        text = object("index", d, e, a);
        break;
    }
    std::string out = subject(d) + ": " + text;
    if (!d.note.empty()) {
        out += "; " + d.note;
    }
    return out;
}

std::string difference_code(const std::string& prefix, DifferenceKind kind) {
    std::string name = difference_kind_name(kind);
    for (char& c : name) {
        if (c == '_') {
            c = '-';
        }
    }
    return prefix + "-" + name;
}

}  // namespace migcheck::schema
