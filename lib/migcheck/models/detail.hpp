#pragma once

// Internals of the models reader, shared by its .cpp files. Not part of the
// library's interface: include migcheck/models/reader.hpp instead.

#include "migcheck/models/reader.hpp"
#include "migcheck/python/ast.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace migcheck::models::detail {

using python::Module;
using python::Node;
using python::NodeId;
using python::NodeKind;
using python::Statement;
using python::StatementKind;

// One parsed models file and the names its imports bind.
struct ModuleInfo {
    std::string path;
    std::unique_ptr<Module> module;
    // Local name -> what it stands for, dotted: `import sqlalchemy as sa`
    // gives sa -> "sqlalchemy", `from .base import Base` gives
    // Base -> ".base.Base".
    std::map<std::string, std::string> aliases;
    // `from sqlalchemy import *` (or a submodule): unknown bare names may be
    // SQLAlchemy's.
    bool star_sqlalchemy = false;
};

// A class statement of some models file.
struct ClassInfo {
    const ModuleInfo* mod = nullptr;
    const Statement* stmt = nullptr;
};

// What a base-class expression of a class statement stands for.
struct BaseRef {
    enum class Kind {
        ignored,     // object, Generic[...], MappedAsDataclass: adds nothing
        root,        // a declarative base: DeclarativeBase, declarative_base()
        flask_root,  // Flask-SQLAlchemy's db.Model
        model_class, // a class of the models files
        external,    // something outside the files we cannot see into
    };
    Kind kind = Kind::ignored;
    const ClassInfo* cls = nullptr;  // model_class
    std::string spelling;            // as written, for messages
};

// Where a warning is attached and which column it makes unchecked.
struct Site {
    const ModuleInfo* mod = nullptr;
    int line = 0;
    int column = 0;
};

// The state of one read_models call.
class Reader {
public:
    std::vector<ModuleInfo> modules;
    std::map<std::string, std::vector<ClassInfo>> classes;  // by class name
    std::set<std::string> declarative_names;  // names bound to declarative_base() & co.
    std::set<std::string> flask_db_names;     // names bound to SQLAlchemy()
    // type_annotation_map entries of declarative bases: qualified name -> type call
    std::map<std::string, std::pair<const ModuleInfo*, NodeId>> annotation_map;
    // (table, column) pairs whose nullable= was given, and those with no type
    // of their own (SQLAlchemy takes the type of the column a ForeignKey names).
    std::set<std::pair<std::string, std::string>> nullable_given;
    std::set<std::pair<std::string, std::string>> type_from_fk;
    // Mapped class statement -> its table; Table() variable name -> table.
    std::map<const Statement*, std::string> class_table;
    std::map<std::string, std::string> table_vars;
    ModelsResult result;

    // The table of that name in the result, or nullptr.
    schema::Table* table(const std::string& name) { return result.schema.find_table(name); }
    // Adds a table, or warns when one of that name exists already.
    void add_table(const ModuleInfo& mod, schema::Table table);

    // A `models-not-understood` warning at the site.
    void warn(const Site& at, const std::string& message);
    // The table (or one column of it) is not fully read.
    void unchecked(const std::string& table, const std::string& column);

    // The dotted name the expression spells, with its first part resolved
    // through the module's imports: `sa.String` -> "sqlalchemy.String".
    std::string qualified(const ModuleInfo& mod, NodeId id) const;
    // SQLAlchemy's name for what the expression spells, or "" when it is not
    // SQLAlchemy's: "Column", "String", "postgresql.UUID", "func.now",
    // "db.Model" for Flask-SQLAlchemy's model base. `db.X` of a Flask
    // SQLAlchemy() object is SQLAlchemy's X.
    std::string sa_symbol(const ModuleInfo& mod, NodeId id) const;
    // The class of the models files an expression names (`Base`,
    // `base.TimestampMixin`), preferring one in the same file, or nullptr.
    const ClassInfo* find_class(const ModuleInfo& mod, NodeId id) const;
    // What a base-class expression stands for.
    BaseRef classify_base(const ModuleInfo& mod, NodeId id) const;
};

// Reads the module's import statements into mod.aliases (names.cpp).
void collect_imports(ModuleInfo& mod);

// Literal values; nothing when the expression is not such a literal.
std::optional<std::string> literal_string(const Module& m, NodeId id);
std::optional<bool> literal_bool(const Module& m, NodeId id);
std::optional<int> literal_int(const Module& m, NodeId id);
// The keyword argument of a call by name, or no_node.
NodeId keyword_arg(const Node& call, const std::string& name);
// A short spelling of an expression for messages: "MyType(...)", "sa.String".
std::string describe_expr(const Module& m, NodeId id);

// Python's Enum classes of the models files: the member names, or nothing
// when `cls` is not an Enum class (types.cpp).
std::optional<std::vector<std::string>> enum_members(const Reader& r, const ClassInfo& cls);

// The schema type a SQLAlchemy type expression (`sa.String(50)`, `Integer`)
// stands for; on failure, nothing and `why` says why (types.cpp).
std::optional<schema::Type> read_type(const Reader& r, const ModuleInfo& mod, NodeId id,
                                      std::string& why);

// The inner type of a `Mapped[...]` annotation, with whether it is Optional.
struct MappedAnnotation {
    NodeId inner = python::no_node;  // without Optional / `| None`
    bool optional = false;
};
std::optional<MappedAnnotation> mapped_annotation(const Reader& r, const ModuleInfo& mod,
                                                  NodeId annotation);

// The type SQLAlchemy 2.0 infers from a Python annotation (`int`,
// `datetime.datetime`, an Enum class) through its default type_annotation_map
// and the bases' own entries; on failure nothing and `why` says why.
std::optional<schema::Type> annotation_type(const Reader& r, const ModuleInfo& mod, NodeId inner,
                                            std::string& why);

// A column as a `Column(...)` or `mapped_column(...)` call declares it
// (columns.cpp).
struct ColumnDecl {
    schema::Column column;
    bool explicit_name = false;     // Column("name", ...) or name=
    bool nullable_given = false;    // nullable= was given
    bool type_from_fk = false;      // no type: SQLAlchemy takes the referred column's
    std::vector<std::string> problems;  // what could not be read, for warnings
};

// Whether the expression is a call of Column, mapped_column or deferred(Column).
bool is_column_call(const Reader& r, const ModuleInfo& mod, NodeId id);

// Reads a Column/mapped_column call. `attribute` is the class attribute name
// (empty for Table() columns); `annotation` the attribute's annotation or
// no_node. Unreadable parts are listed in problems, never guessed.
ColumnDecl read_column(const Reader& r, const ModuleInfo& mod, NodeId call,
                       const std::string& attribute, NodeId annotation);

// A column declared by annotation alone (`x: Mapped[int]`), or nothing when
// the annotation is not Mapped[...] of a column type (a relationship's).
std::optional<ColumnDecl> read_annotation_only(const Reader& r, const ModuleInfo& mod,
                                               NodeId annotation, const std::string& attribute,
                                               bool& not_understood);

// The SQL text SQLAlchemy renders for a server_default= value; on failure
// nothing and `why` says why.
std::optional<std::string> server_default_sql(const Reader& r, const ModuleInfo& mod, NodeId id,
                                              std::string& why);

// Table-level items: Index, UniqueConstraint, ForeignKeyConstraint,
// PrimaryKeyConstraint (CheckConstraint is skipped) and, for Table(), Column
// (table_args.cpp). `table` is completed in place; what cannot be read is
// warned about and marked unchecked.
void apply_table_item(Reader& r, const ModuleInfo& mod, schema::Table& table, NodeId item);
// `__table_args__`: a tuple, a dict, or a tuple ending in a dict.
void apply_table_args(Reader& r, const ModuleInfo& mod, schema::Table& table, NodeId args);
// A `Table("name", metadata, Column(...), ...)` call, or nothing (warned)
// when its name is not a literal.
std::optional<schema::Table> read_table_call(Reader& r, const ModuleInfo& mod, NodeId call);
// Adds a finished column to a table, warning about its problems.
void add_column(Reader& r, const ModuleInfo& mod, schema::Table& table, ColumnDecl decl,
                int line);

// Reads one class statement of a models file: a mapped class becomes a table
// (or adds columns to its parent's, for single-table inheritance); bases,
// mixins and Enum classes add nothing by themselves (classes.cpp).
void read_class(Reader& r, const ClassInfo& cls);

}  // namespace migcheck::models::detail
