#include "migcheck/ops/ops.hpp"

namespace migcheck::ops {
namespace {

struct Names {
    const char* operator()(const CreateTable&) const { return "create_table"; }
    const char* operator()(const DropTable&) const { return "drop_table"; }
    const char* operator()(const RenameTable&) const { return "rename_table"; }
    const char* operator()(const AddColumn&) const { return "add_column"; }
    const char* operator()(const DropColumn&) const { return "drop_column"; }
    const char* operator()(const AlterColumn&) const { return "alter_column"; }
    const char* operator()(const CreateIndex&) const { return "create_index"; }
    const char* operator()(const DropIndex&) const { return "drop_index"; }
    const char* operator()(const CreateUniqueConstraint&) const {
        return "create_unique_constraint";
    }
    const char* operator()(const CreateForeignKey&) const { return "create_foreign_key"; }
    const char* operator()(const CreatePrimaryKey&) const { return "create_primary_key"; }
    const char* operator()(const DropConstraint&) const { return "drop_constraint"; }
    const char* operator()(const Execute&) const { return "execute"; }
};

struct Tables {
    std::string operator()(const CreateTable& c) const { return c.table.name; }
    std::string operator()(const Execute&) const { return ""; }
    template <typename T>
    std::string operator()(const T& c) const {
        return c.table;
    }
};

}  // namespace

std::string target_table(const Change& change) {
    return std::visit(Tables{}, change);
}

const char* change_name(const Change& change) {
    return std::visit(Names{}, change);
}

}  // namespace migcheck::ops
