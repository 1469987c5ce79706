#include "migcheck/report/rules.hpp"

namespace migcheck {

const std::vector<RuleInfo>& all_rules() {
    static const std::vector<RuleInfo> rules = {
        // Reading revision files.
        {"syntax-error", Severity::error, "a revision file is not valid Python or not readable"},
        {"missing-revision-id", Severity::error, "a revision file assigns no `revision`"},
        {"missing-down-revision", Severity::error, "a revision file assigns no `down_revision`"},
        {"non-literal-header", Severity::error,
         "a header variable is not a literal migcheck can read without running the file"},
        {"invalid-revision-id", Severity::error,
         "a revision id is empty, not a string, or holds '@', '-' or '+'"},
        {"revision-id-too-long", Severity::error,
         "a revision id is longer than the 32 characters alembic_version holds"},
        {"symlink-not-followed", Severity::warning,
         "a linked directory under a recursive version location is not followed"},
        {"missing-version-location", Severity::error, "a version location does not exist"},
        // The revision graph.
        {"multiple-heads", Severity::error, "the history has more than one head"},
        {"duplicate-revision", Severity::error, "two files declare the same revision id"},
        {"missing-parent", Severity::error, "a down_revision names an unknown revision"},
        {"missing-dependency", Severity::error, "a depends_on names an unknown revision"},
        {"cycle", Severity::error, "revisions form a cycle"},
        {"duplicate-branch-label", Severity::error, "two revisions use the same branch label"},
    };
    return rules;
}

const RuleInfo* find_rule(const std::string& code) {
    for (const auto& r : all_rules()) {
        if (code == r.code) {
            return &r;
        }
    }
    return nullptr;
}

std::vector<std::string> rule_codes() {
    std::vector<std::string> out;
    for (const auto& r : all_rules()) {
        out.emplace_back(r.code);
    }
    return out;
}

}  // namespace migcheck
