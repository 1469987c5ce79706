#pragma once

// Internals of the operations reader, shared by its .cpp files. Not part of
// the library's interface: include migcheck/ops/reader.hpp instead.

#include "migcheck/models/detail.hpp"
#include "migcheck/ops/ops.hpp"
#include "migcheck/python/tokenizer.hpp"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace migcheck::ops::detail {

using models::detail::ModuleInfo;
using python::Module;
using python::Node;
using python::NodeId;
using python::NodeKind;
using python::Statement;
using python::StatementKind;

// The state of one read_operations call: the models reader's state, whose
// helpers read columns, types and constraints, holding the revision file as
// its only module.
struct Context {
    models::detail::Reader reader;
    std::string path;
    // Local names bound to alembic's `op` ("op", or an alias).
    std::set<std::string> op_names;

    const ModuleInfo& mod() const { return reader.modules.front(); }
    const Module& module() const { return *reader.modules.front().module; }
};

// One call of an operation: `op.drop_table(...)` or `batch_op.drop_column(...)`.
struct Call {
    NodeId id = python::no_node;
    std::string owner;   // "op", or the batch block's `as` name
    std::string method;  // "drop_table"
    bool batch = false;
    std::string batch_table;  // the table of the batch block

    // The call as messages name it: "op.drop_table()".
    std::string spelled() const { return owner + "." + method + "()"; }
};

// What reading one call gives: an operation, or why it is not interpretable.
struct CallResult {
    std::optional<Change> change;
    std::string why;
};

// Reads one operation call; an unsupported method gives "op.<method>()" as
// the reason (reader_calls.cpp).
CallResult read_call(Context& ctx, const Call& call);

// The parameters of an Alembic operation, as its signature declares them.
struct Signature {
    std::vector<std::string> params;        // positional or keyword, in order
    std::vector<std::string> keyword_only;  // known names of its **kw
    bool varargs = false;                   // *columns after params (create_table)
    bool dialect_options = false;           // **kw takes <dialect>_<option> names
};

// The arguments of a call matched to a signature.
struct Bound {
    std::map<std::string, NodeId> args;
    std::vector<NodeId> rest;  // the *varargs

    // The argument, or no_node when not given.
    NodeId get(const std::string& param) const;
};

// Matches the call's arguments to the signature as Python would; false with
// `why` on an unpacked argument, an extra positional, an unknown keyword or
// one given twice (reader_args.cpp).
bool bind(const Module& m, const Node& call, const Signature& sig, const std::string& spelled,
          Bound& out, std::string& why);

// Whether the expression is the constant None.
bool is_none(const Module& m, NodeId id);
// Whether the expression is the constant False.
bool is_false(const Module& m, NodeId id);

// How messages name a parameter: "the table name", "nullable=".
std::string describe_param(const std::string& param);

// A name argument: a string literal (`op.f("...")` has become one, see
// reader.cpp); None gives "" when `allow_none`. Nothing, with `why`,
// otherwise.
std::optional<std::string> name_arg(const Context& ctx, const Call& call, NodeId id,
                                    const std::string& param, bool allow_none, std::string& why);

// A list or tuple of column names; with `expressions`, a `text("...")`
// element is kept as "(...)", as for index expressions.
std::optional<std::vector<std::string>> columns_arg(const Context& ctx, const Call& call, NodeId id,
                                                    const std::string& param, bool expressions,
                                                    std::string& why);

// True or False; None (or absence) gives nothing without `why`.
std::optional<bool> bool_arg(const Context& ctx, const Call& call, NodeId id,
                             const std::string& param, std::string& why);

// A `schema=`-like argument: only None (or absence) is accepted.
bool check_no_schema(const Context& ctx, const Call& call, NodeId id, const std::string& param,
                     std::string& why);

// SQL text: a string literal or `text("...")`.
std::optional<std::string> sql_arg(const Context& ctx, const Call& call, NodeId id,
                                   const std::string& param, std::string& why);

// op.f("name") marks a name as final for naming conventions; the name is the
// same. Turns each `<owner>.f("...")` call of the module into the string it
// holds, so that every reader, the models reader's helpers included, sees a
// literal: `sa.UniqueConstraint("a", name=op.f("uq_t_a"))`.
void unwrap_name_marks(Context& ctx, const std::set<std::string>& owners);

// The table a call is about: the batch block's, or the string argument
// `param` (reader_args.cpp).
std::optional<std::string> table_arg(const Context& ctx, const Call& call, const Bound& args,
                                     const std::string& param, std::string& why);

// The operations that read SQLAlchemy columns and types through the models
// reader (reader_columns.cpp); nothing, with `why`, when not interpretable.
std::optional<Change> read_create_table(Context& ctx, const Call& call, const Bound& args,
                                        std::string& why);
std::optional<Change> read_add_column(Context& ctx, const Call& call, const Bound& args,
                                      std::string& why);
std::optional<Change> read_alter_column(Context& ctx, const Call& call, const Bound& args,
                                        std::string& why);

// The item of a `with` statement. The parser does not model `with`
// headers, so the item's expression is cut from the source by its tokens and
// parsed alone (reader_with.cpp).
struct WithItem {
    std::unique_ptr<Module> expr;  // a module holding the expression statement
    std::string alias;             // the `as` name, or ""
};

// The single item of the `with` statement `s` of module `m`, whose tokens
// are given; nothing for several items or an item that does not parse alone.
std::optional<WithItem> with_item(const Module& m, const std::vector<python::Token>& tokens,
                                  const Statement& s);

// The table of an `op.batch_alter_table(...)` call of the item's module `h`;
// false with `why` when an argument changes the schema in a way the replay
// cannot follow (a schema, copy_from=, table_args=, reflect_args=...).
bool batch_table(const Module& h, const Node& call, const std::string& spelled, std::string& table,
                 std::string& why);

}  // namespace migcheck::ops::detail
