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
        // The models against config/schema.yaml (validate).
        {"no-models", Severity::error, "no file matches the models globs"},
        {"models-not-understood", Severity::warning,
         "the models reader cannot read part of a model without running Python"},
        {"model-table-missing", Severity::error,
         "a table in config/schema.yaml has no model"},
        {"model-table-extra", Severity::error, "a model's table is not in config/schema.yaml"},
        {"model-column-missing", Severity::error,
         "a column in config/schema.yaml is not in the model"},
        {"model-column-extra", Severity::error,
         "a model's column is not in config/schema.yaml"},
        {"model-type", Severity::error, "a column's type differs"},
        {"model-nullable", Severity::error, "a column's nullability differs"},
        {"model-primary-key", Severity::error, "the primary key differs"},
        {"model-autoincrement", Severity::error, "a key column's autoincrement differs"},
        {"model-server-default", Severity::error, "a column's server default differs"},
        {"model-foreign-key", Severity::error, "a foreign key differs or is on one side only"},
        {"model-unique", Severity::error, "a unique constraint differs or is on one side only"},
        {"model-index", Severity::error, "an index differs or is on one side only"},
        {"model-comment", Severity::error, "a table's or column's comment differs"},
        // Branches compared with a base (migcheck-heads --base --refs).
        {"parallel-revisions", Severity::error, "branches add different revisions on one parent"},
        {"branch-multiple-heads", Severity::error, "a branch's own history has several heads"},
        {"stale-parent", Severity::error,
         "a branch's new revision revises a parent the base has moved past"},
        // A change as a whole: the staged files, or a pull request.
        {"schema-yaml-outdated", Severity::error,
         "the models' schema changed and config/schema.yaml does not match it"},
        {"revision-missing", Severity::error,
         "the schema changed and no new revision comes with the change"},
        {"revision-without-schema-change", Severity::error,
         "a new revision while the schema is unchanged, not marked `# migcheck: data-only`"},
        {"revision-modified", Severity::warning,
         "a revision that already exists is changed (an error in migcheck-pr)"},
        {"revision-deleted", Severity::warning,
         "a revision that already exists is removed (an error in migcheck-pr)"},
        {"merged-multiple-heads", Severity::error,
         "merging the pull request into its base would leave several heads"},
        // The migrations: reading operations and replaying them.
        {"not-interpretable", Severity::error,
         "upgrade() or downgrade() holds a statement migcheck does not interpret"},
        {"invalid-operation", Severity::error,
         "an operation cannot apply to the schema at that point (a missing table or column...)"},
        {"execute-not-modelled", Severity::warning,
         "op.execute runs SQL the symbolic replay does not follow (the scratch replay runs it)"},
        {"replay-failed", Severity::error, "a revision failed on the scratch database"},
        {"migration-failed", Severity::error, "a revision failed while applied to a database"},
        {"downgrade-mismatch", Severity::error,
         "a downgrade does not restore the schema that stood before its upgrade"},
        {"replay-differs", Severity::error,
         "the scratch database differs from what the operations say"},
        {"sqlite-needs-batch", Severity::error,
         "an alteration Alembic cannot run on SQLite outside batch mode"},
        {"sqlite-add-column-default", Severity::error,
         "ADD COLUMN with a non-constant default, which SQLite refuses on a table with rows"},
        {"migrations-not-compared", Severity::warning,
         "validate could not replay every revision, so the migrations were not compared"},
        {"migration-table-missing", Severity::error, "a table in config/schema.yaml is not built by the migrations"},
        {"migration-table-extra", Severity::error, "the migrations build a table config/schema.yaml does not declare"},
        {"migration-column-missing", Severity::error, "a column in config/schema.yaml is not built by the migrations"},
        {"migration-column-extra", Severity::error, "the migrations build a column config/schema.yaml does not declare"},
        {"migration-type", Severity::error, "a column's type differs"},
        {"migration-nullable", Severity::error, "a column's nullability differs"},
        {"migration-primary-key", Severity::error, "the primary key differs"},
        {"migration-autoincrement", Severity::error, "a key column's autoincrement differs"},
        {"migration-server-default", Severity::error, "a column's server default differs"},
        {"migration-foreign-key", Severity::error, "a foreign key differs or is on one side only"},
        {"migration-unique", Severity::error, "a unique constraint differs or is on one side only"},
        {"migration-index", Severity::error, "an index differs or is on one side only"},
        {"migration-comment", Severity::error, "a table's or column's comment differs"},
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
