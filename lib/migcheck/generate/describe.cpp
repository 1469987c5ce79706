#include "migcheck/generate/python.hpp"

#include <type_traits>

namespace migcheck::generate {

std::string describe_step(const ops::Operation& op) {
    return std::visit(
        [](const auto& c) -> std::string {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_same_v<T, ops::CreateTable>) {
                return "create_table " + c.table.name;
            } else if constexpr (std::is_same_v<T, ops::DropTable>) {
                return "drop_table " + c.table;
            } else if constexpr (std::is_same_v<T, ops::RenameTable>) {
                return "rename_table " + c.table + " -> " + c.new_name;
            } else if constexpr (std::is_same_v<T, ops::AddColumn>) {
                return "add_column " + c.table + "." + c.column.name;
            } else if constexpr (std::is_same_v<T, ops::DropColumn>) {
                return "drop_column " + c.table + "." + c.column;
            } else if constexpr (std::is_same_v<T, ops::AlterColumn>) {
                if (c.new_name) {
                    return "alter_column " + c.table + "." + c.column + " -> " + *c.new_name;
                }
                std::string what;
                auto add = [&](bool given, const char* name) {
                    if (given) {
                        what += (what.empty() ? "" : ", ") + std::string(name);
                    }
                };
                add(c.type.has_value(), "type");
                add(c.nullable.has_value(), "nullable");
                add(c.server_default.has_value(), "server_default");
                add(c.comment.has_value(), "comment");
                return "alter_column " + c.table + "." + c.column + " (" + what + ")";
            } else if constexpr (std::is_same_v<T, ops::CreateIndex>) {
                return "create_index " + c.index.name + " on " + c.table;
            } else if constexpr (std::is_same_v<T, ops::DropIndex>) {
                return "drop_index " + c.name + " on " + c.table;
            } else if constexpr (std::is_same_v<T, ops::CreateUniqueConstraint>) {
                return "create_unique_constraint " + c.constraint.name + " on " + c.table;
            } else if constexpr (std::is_same_v<T, ops::CreateForeignKey>) {
                return "create_foreign_key " + c.foreign_key.name + " on " + c.table;
            } else if constexpr (std::is_same_v<T, ops::CreatePrimaryKey>) {
                return "create_primary_key " + c.primary_key.name + " on " + c.table;
            } else if constexpr (std::is_same_v<T, ops::DropConstraint>) {
                return "drop_constraint " + c.name + " on " + c.table;
            } else {
                return "execute";
            }
        },
        op.change);
}

}  // namespace migcheck::generate
