#include "migcheck/revision/format.hpp"

#include "migcheck/util/text.hpp"

#include <nlohmann/json.hpp>

namespace migcheck::revision {
namespace {

std::string down_text(const Revision& r) {
    return r.down_revisions.empty() ? "<base>" : text::join(r.down_revisions, ", ");
}

std::string labels_text(const Graph& g, int i) {
    const auto& labels = g.labels(i);
    return labels.empty() ? std::string() : " (" + text::join(labels, ", ") + ")";
}

std::string head_marks(const Graph& g, int i) {
    std::string s;
    if (g.is_real_head(i)) {
        s += " (head)";
    }
    if (g.is_head(i) && !g.is_real_head(i)) {
        s += " (effective head)";
    }
    return s;
}

}  // namespace

std::string history_line(const Graph& g, int i) {
    const Revision& r = g.at(i);
    std::string s = down_text(r);
    if (!r.depends_on.empty()) {
        s += " (" + text::join(r.depends_on, ", ") + ")";
    }
    s += " -> " + r.id + labels_text(g, i) + head_marks(g, i);
    if (g.is_branch_point(i)) {
        s += " (branchpoint)";
    }
    if (g.is_merge_point(i)) {
        s += " (mergepoint)";
    }
    s += ", " + r.message;
    return s;
}

std::string heads_line(const Graph& g, int i) {
    return g.at(i).id + labels_text(g, i) + head_marks(g, i);
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
