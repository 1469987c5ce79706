#include "migcheck/ops/reader.hpp"

#include "migcheck/ops/reader_detail.hpp"
#include "migcheck/python/tokenizer.hpp"

namespace migcheck::ops {
namespace {

using namespace detail;

// A `with op.batch_alter_table("t") as batch_op:` block being read. Its
// batch_op calls are queued and run when the block ends, as Alembic runs
// them; op calls inside it run at once.
struct Batch {
    std::string alias;
    std::string table;
    std::vector<Operation> pending;
};

class BodyReader {
public:
    BodyReader(Context& ctx, Body& body) : m_ctx(ctx), m_body(body) {}

    // Reads statements until one is not interpretable; false then.
    bool read_block(const std::vector<Statement>& block, Batch* batch) {
        for (const Statement& s : block) {
            if (!read_statement(s, batch)) {
                return false;
            }
        }
        return true;
    }

private:
    Context& m_ctx;
    Body& m_body;
    std::optional<python::TokenStream> m_tokens;

    const Module& module() const { return m_ctx.module(); }

    bool stop(int line, int column, std::string why) {
        m_body.interpretable = false;
        m_body.stopped_at = {m_ctx.path, line};
        m_body.stopped_column = column;
        m_body.why = std::move(why);
        return false;
    }

    void flush(Batch& batch) {
        for (Operation& op : batch.pending) {
            m_body.operations.push_back(std::move(op));
        }
        batch.pending.clear();
    }

    bool read_statement(const Statement& s, Batch* batch) {
        const Module& m = module();
        if (std::string why = get_bind_call(s); !why.empty()) {
            return stop(s.line, s.column, why);
        }
        switch (s.kind) {
        case StatementKind::import:
            return true;  // their names were read with the module's imports
        case StatementKind::keyword:
            if (s.keyword == "pass" || (s.keyword == "return" && s.value == python::no_node)) {
                return true;
            }
            return stop(s.line, s.column, keyword_why(s));
        case StatementKind::assign:
        case StatementKind::annotated:
            return stop(s.line, s.column, "an assignment");
        case StatementKind::augmented:
            return stop(s.line, s.column, "an augmented assignment");
        case StatementKind::compound:
            if (s.keyword == "with") {
                return read_with(s);
            }
            return stop(s.line, s.column, compound_why(s.keyword));
        case StatementKind::expression:
            break;
        }
        const Node& value = m.node(s.value);
        if (value.kind == NodeKind::string) {
            return true;  // a docstring, or a string standing in for a comment
        }
        if (value.kind != NodeKind::call) {
            return stop(s.line, s.column, "an expression statement");
        }
        std::string callee = python::dotted_name(m, value.children[0]);
        std::size_t dot = callee.rfind('.');
        std::string owner = dot == std::string::npos ? "" : callee.substr(0, dot);
        Call call;
        call.id = s.value;
        call.owner = owner;
        call.method = dot == std::string::npos ? "" : callee.substr(dot + 1);
        if (batch != nullptr && !batch->alias.empty() && owner == batch->alias) {
            call.batch = true;
            call.batch_table = batch->table;
        } else if (m_ctx.op_names.count(owner) == 0) {
            std::string name = callee.empty() ? "an expression" : callee + "()";
            return stop(s.line, s.column, "a call of " + name);
        }
        CallResult result = read_call(m_ctx, call);
        if (!result.change) {
            return stop(value.line, value.column, result.why);
        }
        Operation op{std::move(*result.change), {m_ctx.path, value.line}, value.column, call.batch};
        (call.batch ? batch->pending : m_body.operations).push_back(std::move(op));
        return true;
    }

    // "a call of op.get_bind()" anywhere in the statement's expressions: it
    // reaches the database, which is a data migration in all but name.
    std::string get_bind_call(const Statement& s) const {
        const Module& m = module();
        std::vector<NodeId> todo(s.targets.begin(), s.targets.end());
        todo.push_back(s.value);
        while (!todo.empty()) {
            NodeId id = todo.back();
            todo.pop_back();
            if (id == python::no_node) {
                continue;
            }
            const Node& n = m.node(id);
            if (n.kind == NodeKind::call) {
                std::string callee = python::dotted_name(m, n.children[0]);
                std::size_t dot = callee.rfind('.');
                if (dot != std::string::npos && callee.substr(dot + 1) == "get_bind" &&
                    m_ctx.op_names.count(callee.substr(0, dot)) != 0) {
                    return "a call of " + callee + "()";
                }
            }
            todo.insert(todo.end(), n.children.begin(), n.children.end());
            for (const python::Keyword& k : n.keywords) {
                todo.push_back(k.value);
            }
        }
        return "";
    }

    static std::string keyword_why(const Statement& s) {
        if (s.keyword == "return") {
            return "a return statement with a value";
        }
        std::string article = s.keyword == "assert" ? "an " : "a ";
        return article + s.keyword + " statement";
    }

    static std::string compound_why(const std::string& keyword) {
        if (keyword == "for" || keyword == "async for") {
            return "a for loop";
        }
        if (keyword == "while") {
            return "a while loop";
        }
        if (keyword == "def" || keyword == "async def") {
            return "a function definition";
        }
        if (keyword == "class") {
            return "a class definition";
        }
        if (keyword == "async with") {
            return "a with statement that is not op.batch_alter_table()";
        }
        // if, elif, else, try, except, finally, match.
        std::string first = keyword == "elif" || keyword == "else" ? "if" : keyword;
        if (keyword == "except" || keyword == "finally") {
            first = "try";
        }
        return std::string(first == "if" ? "an " : "a ") + first + " statement";
    }

    bool read_with(const Statement& s) {
        const std::string not_batch = "a with statement that is not op.batch_alter_table()";
        if (!m_tokens) {
            m_tokens = python::tokenize(module().source);
        }
        std::optional<WithItem> item = with_item(module(), m_tokens->tokens, s);
        if (!item) {
            return stop(s.line, s.column, not_batch);
        }
        const Module& h = *item->expr;
        const Node& call = h.node(h.body[0].value);
        std::string callee =
            call.kind == NodeKind::call ? python::dotted_name(h, call.children[0]) : "";
        std::size_t dot = callee.rfind('.');
        if (dot == std::string::npos || callee.substr(dot + 1) != "batch_alter_table" ||
            m_ctx.op_names.count(callee.substr(0, dot)) == 0) {
            return stop(s.line, s.column, not_batch);
        }
        std::string why;
        Batch batch;
        batch.alias = item->alias;
        if (!batch.alias.empty()) {
            unwrap_name_marks(m_ctx, {batch.alias});
        }
        if (!batch_table(h, call, callee + "()", batch.table, why)) {
            return stop(s.line, s.column, why);
        }
        // What the block queued comes before anything after it, and before
        // the stop when the block is not interpretable.
        bool read = read_block(s.body, &batch);
        flush(batch);
        return read;
    }
};

// Adds the names the import statements of a function bind to its module's:
// a revision may import a dialect inside upgrade().
void collect_function_imports(Context& ctx, const Statement& def) {
    std::vector<Statement> imports;
    std::vector<const std::vector<Statement>*> todo{&def.body};
    while (!todo.empty()) {
        const std::vector<Statement>* block = todo.back();
        todo.pop_back();
        for (const Statement& s : *block) {
            if (s.kind == StatementKind::import) {
                imports.push_back(s);
            } else if (s.kind == StatementKind::compound) {
                todo.push_back(&s.body);
            }
        }
    }
    if (imports.empty()) {
        return;
    }
    // collect_imports reads a module's top-level statements: lend it these.
    ModuleInfo& mod = ctx.reader.modules.front();
    std::swap(mod.module->body, imports);
    collect_imports(mod);
    std::swap(mod.module->body, imports);
}

void find_op_names(Context& ctx) {
    ctx.op_names = {"op"};
    for (const auto& [local, target] : ctx.mod().aliases) {
        if (target == "alembic.op") {
            ctx.op_names.insert(local);
        }
    }
}

Body read_body(Context& ctx, const std::string& name) {
    Body body;
    const Statement* def = nullptr;
    for (const Statement& s : ctx.module().body) {
        if (s.kind == StatementKind::compound && s.keyword == "def" && s.name == name) {
            def = &s;  // a later definition replaces an earlier one, as in Python
        }
    }
    if (def == nullptr) {
        body.present = false;
        return body;
    }
    ModuleInfo& mod = ctx.reader.modules.front();
    std::map<std::string, std::string> module_aliases = mod.aliases;
    bool module_star = mod.star_sqlalchemy;
    collect_function_imports(ctx, *def);
    find_op_names(ctx);
    unwrap_name_marks(ctx, ctx.op_names);
    BodyReader(ctx, body).read_block(def->body, nullptr);
    mod.aliases = std::move(module_aliases);
    mod.star_sqlalchemy = module_star;
    return body;
}

}  // namespace

RevisionOps read_operations(std::string_view bytes, const std::string& path) {
    RevisionOps out;
    python::ParseResult parsed = python::parse_module(bytes);
    if (!parsed.module) {
        for (Body* body : {&out.upgrade, &out.downgrade}) {
            body->interpretable = false;
            body->stopped_at = {path, parsed.error->line};
            body->stopped_column = parsed.error->column;
            body->why = parsed.error->message;
        }
        return out;
    }
    Context ctx;
    ctx.path = path;
    ctx.reader.modules.push_back(ModuleInfo{path, std::move(parsed.module), {}, false});
    collect_imports(ctx.reader.modules.front());
    out.upgrade = read_body(ctx, "upgrade");
    out.downgrade = read_body(ctx, "downgrade");
    return out;
}

}  // namespace migcheck::ops
