#pragma once

// Internals of the planner, shared by its .cpp files. Not part of the
// library's interface: include migcheck/generate/plan.hpp instead.

#include "migcheck/generate/plan.hpp"

#include <string>
#include <vector>

namespace migcheck::generate::detail {

// The operations planned so far, and the warnings.
struct Planner {
    bool batch = false;
    std::vector<Step> steps;
    std::vector<Finding>* warnings = nullptr;

    // Appends an operation, marked batch when `on_kept_table` and batch mode.
    void emit(ops::Change change, bool on_kept_table, std::string caution = {});
    // A `not-generated` warning: something no operation expresses.
    void warn(const schema::Table& table, const std::string& message);
};

// Step 3 of plan_changes for one kept table: `before` (renames applied) into
// `after` (plan_table.cpp).
void plan_table(Planner& p, const schema::Table& before, const schema::Table& after);

// Conventional names for constraints that have none, as SQLAlchemy's
// naming conventions spell them: uq_<table>_<col>_<col>,
// fk_<table>_<col>_<referred>, pk_<table>.
std::string unique_name(const std::string& table, const std::vector<std::string>& columns);
std::string foreign_key_name(const std::string& table, const schema::ForeignKey& fk);
std::string primary_key_name(const std::string& table);

// Why changing a column's type from `from` to `to` may lose data (a
// shorter string, fewer digits, fewer enum values, another kind that is not
// a wider one), or "" when it cannot.
std::string narrowing(const schema::Type& from, const schema::Type& to);

}  // namespace migcheck::generate::detail
