#include "migcheck/revision/format.hpp"

#include "migcheck/util/text.hpp"

#include <nlohmann/json.hpp>
#include <string_view>

namespace migcheck::revision {
namespace {

using namespace std::string_view_literals;  // literals appended without strlen

std::string down_text(const Revision& r) {
    return r.down_revisions.empty() ? "<base>" : text::join(r.down_revisions, ", ");
}

void append_joined(std::string& out, const std::vector<std::string>& parts) {
    for (std::size_t k = 0; k < parts.size(); ++k) {
        if (k != 0) {
            out += ", "sv;
        }
        out += parts[k];
    }
}

void append_labels(std::string& out, const Graph& g, int i) {
    const auto& labels = g.labels(i);
    if (!labels.empty()) {
        out += " ("sv;
        append_joined(out, labels);
        out += ')';
    }
}

void append_head_marks(std::string& out, const Graph& g, int i) {
    if (g.is_real_head(i)) {
        out += " (head)"sv;
    }
    if (g.is_head(i) && !g.is_real_head(i)) {
        out += " (effective head)"sv;
    }
}

}  // namespace

void append_history_line(std::string& out, const Graph& g, int i) {
    const Revision& r = g.at(i);
    if (r.down_revisions.empty()) {
        out += "<base>"sv;
    } else {
        append_joined(out, r.down_revisions);
    }
    if (!r.depends_on.empty()) {
        out += " ("sv;
        append_joined(out, r.depends_on);
        out += ')';
    }
    out += " -> "sv;
    out += r.id;
    append_labels(out, g, i);
    append_head_marks(out, g, i);
    if (g.is_branch_point(i)) {
        out += " (branchpoint)"sv;
    }
    if (g.is_merge_point(i)) {
        out += " (mergepoint)"sv;
    }
    out += ", "sv;
    out += r.message;
}

std::string history_line(const Graph& g, int i) {
    std::string s;
    append_history_line(s, g, i);
    return s;
}

void append_heads_line(std::string& out, const Graph& g, int i) {
    out += g.at(i).id;
    append_labels(out, g, i);
    append_head_marks(out, g, i);
}

std::string heads_line(const Graph& g, int i) {
    std::string s;
    append_heads_line(s, g, i);
    return s;
}

std::string verbose_entry(const Graph& g, int i, const std::string& root) {
    const Revision& r = g.at(i);
    std::string s = "Rev: " + r.id;
    if (g.is_head(i)) {
        s += " (head)";
    }
    if (g.is_branch_point(i)) {
        s += " (branchpoint)";
    }
    if (g.is_merge_point(i)) {
        s += " (mergepoint)";
    }
    s += "\n";
    s += (g.is_merge_point(i) ? "Merges: " : "Parent: ") + down_text(r) + "\n";
    if (!r.depends_on.empty()) {
        s += "Also depends on: " + text::join(r.depends_on, ", ") + "\n";
    }
    if (g.is_branch_point(i)) {
        std::vector<std::string> kids;
        for (int k : g.next(i)) {
            kids.push_back(g.at(k).id);
        }
        std::sort(kids.begin(), kids.end());
        s += "Branches into: " + text::join(kids, ", ") + "\n";
    }
    if (!g.labels(i).empty()) {
        s += "Branch names: " + text::join(g.labels(i), ", ") + "\n";
    }
    s += "Path: " + (r.path.empty() || r.path[0] == '/' ? r.path : root + "/" + r.path) + "\n";
    s += "\n";
    std::vector<std::string> lines;
    if (!r.doc.empty()) {
        for (auto& line : text::split(r.doc, '\n')) {
            lines.push_back("    " + line);
        }
    }
    s += text::join(lines, "\n") + "\n";
    return s;
}

nlohmann::json revision_json(const Graph& g, int i) {
    const Revision& r = g.at(i);
    nlohmann::json j;
    j["revision"] = r.id;
    j["down_revision"] = r.down_revisions;
    j["branch_labels"] = g.labels(i);
    j["declared_branch_labels"] = r.branch_labels;
    j["depends_on"] = r.depends_on;
    j["message"] = r.message;
    j["create_date"] = r.create_date;
    j["path"] = r.path;
    j["line"] = r.line;
    j["is_head"] = g.is_real_head(i);
    j["is_effective_head"] = g.is_head(i) && !g.is_real_head(i);
    j["is_branch_point"] = g.is_branch_point(i);
    j["is_merge_point"] = g.is_merge_point(i);
    j["data_only"] = r.data_only;
    return j;
}

}  // namespace migcheck::revision
