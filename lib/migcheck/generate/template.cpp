#include "migcheck/generate/python.hpp"
#include "migcheck/generate/revision_file.hpp"

#include <cctype>

namespace migcheck::generate {
namespace {

std::string without_blanks(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (std::isspace(static_cast<unsigned char>(c)) == 0) {
            out += c == '\'' ? '"' : c;
        }
    }
    return out;
}

std::string down_repr(const std::vector<std::string>& downs) {
    if (downs.empty()) {
        return "None";
    }
    if (downs.size() == 1) {
        return python_repr(downs.front());
    }
    std::string out = "(";
    for (const auto& d : downs) {
        out += (out.size() == 1 ? "" : ", ") + python_repr(d);
    }
    return out + ")";
}

// Body lines after the first are indented as the placeholder is, so that
// they stay inside the function; blank lines stay blank.
std::string body(const std::vector<std::string>& lines, const std::string& indent) {
    if (lines.empty()) {
        return "pass";
    }
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) {
            out += "\n" + (lines[i].empty() ? std::string() : indent);
        }
        out += lines[i];
    }
    return out;
}

// The value of one ${...} expression, or nothing when it is not one of the
// standard substitutions.
std::optional<std::string> substitute(const std::string& expr, const RevisionText& t,
                                      const std::string& indent) {
    const std::string e = without_blanks(expr);
    if (e == "message") {
        return t.message;
    }
    if (e == "up_revision") {
        return t.revision;
    }
    if (e == "down_revision|comma,n" || e == "down_revision|comma") {
        std::string out;
        for (const auto& d : t.down_revisions) {
            out += (out.empty() ? "" : ", ") + d;
        }
        return out;
    }
    if (e == "create_date") {
        return t.create_date;
    }
    if (e == "repr(up_revision)") {
        return python_repr(t.revision);
    }
    if (e == "repr(down_revision)") {
        return down_repr(t.down_revisions);
    }
    if (e == "repr(branch_labels)" || e == "repr(depends_on)") {
        return std::string("None");
    }
    if (e == "importsifimportselse\"\"") {
        std::string out;
        for (const auto& line : t.imports) {
            out += (out.empty() ? "" : "\n") + line;
        }
        return out;
    }
    if (e == "upgradesifupgradeselse\"pass\"") {
        return body(t.upgrades, indent);
    }
    if (e == "downgradesifdowngradeselse\"pass\"") {
        return body(t.downgrades, indent);
    }
    return std::nullopt;
}

}  // namespace

const std::string& default_template() {
    static const std::string text = R"mako("""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
)mako";
    return text;
}

std::optional<std::string> fill_template(const std::string& mako, const RevisionText& text,
                                         std::string& why) {
    std::string out;
    std::size_t line_no = 0;
    for (std::size_t start = 0; start < mako.size();) {
        std::size_t end = mako.find('\n', start);
        const bool last = end == std::string::npos;
        std::string line = mako.substr(start, last ? std::string::npos : end - start);
        start = last ? mako.size() : end + 1;
        ++line_no;
        const auto first = line.find_first_not_of(" \t");
        const std::string indent = line.substr(0, first == std::string::npos ? line.size() : first);
        if (first != std::string::npos && line.compare(first, 2, "##") == 0) {
            continue;
        }
        if ((first != std::string::npos && line[first] == '%') ||
            line.find("<%") != std::string::npos || line.find("</%") != std::string::npos) {
            why = "line " + std::to_string(line_no) + " holds a Mako control line or tag";
            return std::nullopt;
        }
        std::string filled;
        for (std::size_t i = 0; i < line.size();) {
            if (line.compare(i, 2, "${") != 0) {
                filled += line[i++];
                continue;
            }
            const auto close = line.find('}', i);
            if (close == std::string::npos) {
                why = "line " + std::to_string(line_no) + ": a ${ without its }";
                return std::nullopt;
            }
            auto value = substitute(line.substr(i + 2, close - i - 2), text, indent);
            if (!value) {
                why = "line " + std::to_string(line_no) + ": " + line.substr(i, close - i + 1) +
                      " is not one of Alembic's standard substitutions";
                return std::nullopt;
            }
            filled += *value;
            i = close + 1;
        }
        out += filled;
        if (!last) {
            out += "\n";
        }
    }
    return out;
}

}  // namespace migcheck::generate
