#pragma once

#include "migcheck/python/source.hpp"
#include "migcheck/python/tokenizer.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migcheck::python {

using NodeId = int;
inline constexpr NodeId no_node = -1;

enum class NodeKind {
    name,       // text = identifier
    attribute,  // children[0] = object, text = attribute name
    call,       // children[0] = callee, then positional args; keywords hold keyword args
    string,     // text = decoded value (str literal, adjacent pieces joined)
    bytes,      // text = decoded value
    fstring,    // an f-string: not a constant
    number,     // text = source spelling
    constant,   // None, True, False, ...; text = spelling
    tuple,      // children = elements
    list,
    set,
    dict,        // children = key, value, key, value...; a `**x` entry has key no_node
    subscript,   // children[0] = object, children[1] = index (a tuple for a, b)
    binary,      // text = operator, children = left, right
    unary,       // text = operator ("-", "+", "~", "not"), children[0] = operand
    starred,     // text = "*" or "**", children[0] = value
    slice,       // a[x:y:z]
    other,       // anything we parse but do not model: lambda, comprehension, comparison...
};

struct Keyword {
    std::string name;  // empty for **kwargs
    NodeId value;
};

struct Node {
    NodeKind kind;
    int line;
    int column;
    std::string text;
    std::vector<NodeId> children;
    std::vector<Keyword> keywords;  // call only
    bool inexact = false;           // string with an escape we cannot decode (\N{...})
};

enum class StatementKind {
    expression,  // value = the expression
    assign,      // targets = the `=` targets (one per `=`), value = right-hand side
    annotated,   // targets[0] = target, annotation, value (may be no_node)
    augmented,   // targets[0], value
    import,      // import / from-import
    keyword,     // pass, return, raise, del, global, ... : value = operand when one
    compound,    // if, for, while, try, with, def, class, match...: keyword = first word
};

// A statement with its position and, for compound statements, the statements
// of each clause's block. Clauses of one compound statement (if/elif/else,
// try/except/finally) are separate statements in the same list.
struct Statement {
    StatementKind kind;
    int line;
    int column;
    int end_line;
    std::string keyword;  // first word for keyword and compound statements
    std::string name;     // def/class name
    std::vector<NodeId> targets;
    NodeId annotation = no_node;
    NodeId value = no_node;
    std::vector<NodeId> decorators;  // for def/class
    NodeId header = no_node;  // compound: condition / iterable / class bases call / with item
    std::vector<Statement> body;
};

// A parsed module: its statements and the node arena they index into.
struct Module {
    std::string source;  // decoded UTF-8 text; tokens point into it
    std::vector<Node> nodes;
    std::vector<Statement> body;

    const Node& node(NodeId id) const { return nodes[static_cast<std::size_t>(id)]; }
};

struct ParseResult {
    std::unique_ptr<Module> module;  // null when error is set
    std::optional<SyntaxError> error;
};

struct ParseOptions {
    // Function bodies are tokenized (so every lexical error is still found)
    // but not parsed into statements; their `body` stays empty. For readers
    // that need only module-level names, such as the revision header reader.
    bool skip_function_bodies = false;
};

// Decodes, tokenizes and parses a Python file. The first syntax error stops it.
ParseResult parse_module(std::string_view bytes, ParseOptions options = {});

// The dotted name an expression spells (`sa.Column` -> "sa.Column"), or "".
std::string dotted_name(const Module& m, NodeId id);

}  // namespace migcheck::python
