#include "migcheck/generate/plan.hpp"

#include <set>

namespace migcheck::generate {

Renames Renames::inverse() const {
    Renames out;
    std::map<std::string, std::string> old_name_of;
    for (const auto& [from, to] : tables) {
        out.tables[to] = from;
        old_name_of[to] = from;
    }
    for (const auto& [table, renamed] : columns) {
        auto it = old_name_of.find(table);
        auto& target = out.columns[it == old_name_of.end() ? table : it->second];
        for (const auto& [from, to] : renamed) {
            target[to] = from;
        }
    }
    return out;
}

Renames find_renames(const schema::Schema& from, const schema::Schema& to,
                     const std::string& schema_path, std::vector<Finding>& warnings) {
    Renames renames;
    for (const auto& table : to.tables) {
        if (!table.renamed_from.empty() && from.find_table(table.renamed_from) != nullptr &&
            from.find_table(table.name) == nullptr) {
            renames.tables[table.renamed_from] = table.name;
        }
    }
    for (const auto& table : to.tables) {
        auto renamed = renames.tables.end();
        for (auto it = renames.tables.begin(); it != renames.tables.end(); ++it) {
            if (it->second == table.name) {
                renamed = it;
            }
        }
        const schema::Table* before =
            from.find_table(renamed == renames.tables.end() ? table.name : renamed->first);
        if (before == nullptr) {
            continue;
        }
        std::set<std::string> sources;
        std::set<std::string> targets;
        for (const auto& column : table.columns) {
            if (!column.renamed_from.empty() && before->find_column(column.renamed_from) != nullptr &&
                before->find_column(column.name) == nullptr) {
                renames.columns[table.name][column.renamed_from] = column.name;
                sources.insert(column.renamed_from);
                targets.insert(column.name);
            }
        }
        // A column that goes while another of the same type comes may be
        // one column renamed: without the hint its data would be lost.
        for (const auto& gone : before->columns) {
            if (table.find_column(gone.name) != nullptr || sources.count(gone.name) != 0U) {
                continue;
            }
            for (const auto& added : table.columns) {
                if (before->find_column(added.name) != nullptr || targets.count(added.name) != 0U ||
                    schema::render_type(added.type) != schema::render_type(gone.type)) {
                    continue;
                }
                Finding f;
                f.severity = Severity::warning;
                f.code = "rename-hint";
                f.file = added.where.file.empty() ? schema_path : added.where.file;
                f.line = added.where.line;
                f.message = "column " + table.name + "." + added.name + " is new and column " +
                            table.name + "." + gone.name + " goes, both " +
                            schema::render_type(added.type) + ": if " + added.name + " is " +
                            gone.name + " renamed, add `renamed_from: " + gone.name + "` to " +
                            added.name + " in " + schema_path +
                            " and generate again, or the revision drops " + gone.name +
                            " and its data";
                warnings.push_back(std::move(f));
                break;
            }
        }
    }
    return renames;
}

}  // namespace migcheck::generate
