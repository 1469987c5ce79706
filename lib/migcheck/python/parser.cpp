#include "migcheck/python/ast.hpp"
#include "migcheck/python/strings.hpp"

#include <array>
#include <string>

namespace migcheck::python {
namespace {

constexpr std::array<std::string_view, 35> keywords = {
    "False", "None", "True", "and", "as", "assert", "async", "await", "break",
    "class", "continue", "def", "del", "elif", "else", "except", "finally", "for",
    "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not",
    "or", "pass", "raise", "return", "try", "while", "with", "yield"};

bool is_keyword(std::string_view s) {
    // Keywords are 2 to 8 characters and start with a letter in [FNTa-y].
    if (s.size() < 2 || s.size() > 8) {
        return false;
    }
    for (auto k : keywords) {
        if (k.size() == s.size() && k[0] == s[0] && k == s) {
            return true;
        }
    }
    return false;
}

constexpr std::array<std::string_view, 13> augmented_ops = {
    "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**="};

// CPython allows 100 levels of indentation and a bounded expression depth.
constexpr int max_block_depth = 100;
constexpr int max_expression_depth = 1000;

struct Fail {
    SyntaxError error;
};

class Parser {
  public:
    Parser(const std::vector<Token>& tokens, Module& module, ParseOptions options)
        : m_t(tokens), m_m(module), m_options(options) {}

    void file() {
        while (peek().kind != TokenKind::end) {
            statement(m_m.body);
        }
    }

  private:
    // ---- token helpers ------------------------------------------------------
    const Token& peek(std::size_t k = 0) const {
        std::size_t i = m_i + k;
        return i < m_t.size() ? m_t[i] : m_t.back();
    }
    const Token& next() {
        const Token& t = m_t[m_i];
        if (m_i + 1 < m_t.size()) {
            ++m_i;
        }
        return t;
    }
    // Token texts are compared first by size and first character: most
    // comparisons fail there, without a memcmp.
    static bool same(std::string_view a, std::string_view b) {
        return a.size() == b.size() && !a.empty() && a[0] == b[0] && a.substr(1) == b.substr(1);
    }
    bool at_op(std::string_view op, std::size_t k = 0) const {
        return peek(k).kind == TokenKind::op && same(peek(k).text, op);
    }
    bool at_name(std::string_view name, std::size_t k = 0) const {
        return peek(k).kind == TokenKind::name && same(peek(k).text, name);
    }
    bool accept_op(std::string_view op) {
        if (at_op(op)) {
            next();
            return true;
        }
        return false;
    }
    bool accept_name(std::string_view name) {
        if (at_name(name)) {
            next();
            return true;
        }
        return false;
    }
    [[noreturn]] void fail_at(const Token& t, std::string message) const {
        throw Fail{SyntaxError{t.line, t.column, std::move(message)}};
    }
    [[noreturn]] void unexpected() const {
        const Token& t = peek();
        if (t.kind == TokenKind::indent) {
            fail_at(t, "unexpected indent");
        }
        if (t.kind == TokenKind::newline || t.kind == TokenKind::end) {
            fail_at(t, "invalid syntax");
        }
        fail_at(t, "invalid syntax");
    }
    void expect_op(std::string_view op) {
        if (!accept_op(op)) {
            if (op == ":" ) {
                fail_at(peek(), "expected ':'");
            }
            unexpected();
        }
    }
    bool at_statement_end() const {
        return peek().kind == TokenKind::newline || peek().kind == TokenKind::end || at_op(";");
    }

    NodeId add(NodeKind kind, const Token& at, std::string text = {}) {
        m_m.nodes.push_back(Node{kind, at.line, at.column, std::move(text), {}, {}, false});
        return static_cast<NodeId>(m_m.nodes.size() - 1);
    }
    Node& node(NodeId id) { return m_m.nodes[static_cast<std::size_t>(id)]; }

    struct DepthGuard {
        Parser& p;
        explicit DepthGuard(Parser& parser) : p(parser) {
            if (++p.m_depth > max_expression_depth) {
                p.fail_at(p.peek(), "too many nested expressions");
            }
        }
        ~DepthGuard() { --p.m_depth; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;
    };

    // ---- statements ---------------------------------------------------------
    void statement(std::vector<Statement>& out) {
        const Token& t = peek();
        if (t.kind == TokenKind::indent) {
            fail_at(t, "unexpected indent");
        }
        if (t.kind == TokenKind::dedent) {
            fail_at(t, "unindent does not match any outer indentation level");
        }
        if (is_compound_start()) {
            compound(out);
            return;
        }
        simple_statements(out);
    }

    bool is_compound_start() const {
        const Token& t = peek();
        if (at_op("@")) {
            return true;
        }
        if (t.kind != TokenKind::name) {
            return false;
        }
        std::string_view w = t.text;
        if (w == "if" || w == "elif" || w == "else" || w == "while" || w == "for" ||
            w == "try" || w == "except" || w == "finally" || w == "with" || w == "def" ||
            w == "class") {
            return true;
        }
        if (w == "async") {
            return at_name("def", 1) || at_name("for", 1) || at_name("with", 1);
        }
        if (w == "match" || w == "case") {
            // Soft keywords: a compound statement only when the logical line
            // ends with ':' and a block follows.
            if (peek(1).kind == TokenKind::op &&
                (peek(1).text == "=" || peek(1).text == "." || peek(1).text == ":")) {
                return false;
            }
            std::size_t k = 1;
            int depth = 0;
            for (;; ++k) {
                const Token& x = peek(k);
                if (x.kind == TokenKind::newline || x.kind == TokenKind::end) {
                    return false;
                }
                if (x.kind == TokenKind::op) {
                    if (x.text == "(" || x.text == "[" || x.text == "{") {
                        ++depth;
                    } else if (x.text == ")" || x.text == "]" || x.text == "}") {
                        --depth;
                    } else if (x.text == ":" && depth == 0) {
                        // `case 1: return x` has its body on the same line;
                        // a `match` statement always has a block.
                        if (w == "case") {
                            return true;
                        }
                        return peek(k + 1).kind == TokenKind::newline &&
                               peek(k + 2).kind == TokenKind::indent;
                    }
                }
            }
        }
        return false;
    }

    // Skips to the ':' that ends a compound statement header.
    void skip_header() {
        int depth = 0;
        for (;;) {
            const Token& x = peek();
            if (x.kind == TokenKind::newline || x.kind == TokenKind::end) {
                fail_at(x, "expected ':'");
            }
            if (x.kind == TokenKind::op) {
                if (x.text == "(" || x.text == "[" || x.text == "{") {
                    ++depth;
                } else if (x.text == ")" || x.text == "]" || x.text == "}") {
                    --depth;
                } else if (x.text == ":" && depth == 0) {
                    next();
                    return;
                } else if (x.text == "lambda") {
                    // lambda is a name token, handled below
                }
            }
            if (x.kind == TokenKind::name && x.text == "lambda" && depth == 0) {
                next();
                skip_header();  // the lambda's own ':'
                continue;
            }
            next();
        }
    }

    void compound(std::vector<Statement>& out) {
        std::vector<NodeId> decorators;
        while (at_op("@")) {
            next();
            decorators.push_back(named_expression());
            if (peek().kind != TokenKind::newline) {
                unexpected();
            }
            next();
        }
        const Token& first = peek();
        if (!decorators.empty() && !(at_name("def") || at_name("class") ||
                                     (at_name("async") && at_name("def", 1)))) {
            fail_at(first, "invalid syntax");
        }
        Statement s{StatementKind::compound, first.line, first.column, first.line, {}, {}, {},
                    no_node, no_node, std::move(decorators), no_node, {}};
        if (accept_name("async")) {
            s.keyword = "async ";
        }
        s.keyword += std::string(next().text);
        const std::string& kw = s.keyword;
        if (kw == "if" || kw == "elif" || kw == "while") {
            s.header = named_expression();
            expect_op(":");
        } else if (kw == "else" || kw == "try" || kw == "finally") {
            expect_op(":");
        } else if (kw == "except") {
            accept_op("*");
            if (!at_op(":")) {
                s.header = expression();
                if (accept_name("as")) {
                    name_token();
                }
            }
            expect_op(":");
        } else if (kw == "for" || kw == "async for") {
            target_list();
            if (!accept_name("in")) {
                fail_at(peek(), "expected 'in'");
            }
            s.header = star_expressions();
            expect_op(":");
        } else if (kw == "def" || kw == "async def") {
            s.name = std::string(name_token().text);
            if (!at_op("(")) {
                fail_at(peek(), "expected '('");
            }
            skip_header();
            if (m_options.skip_function_bodies) {
                skip_block(s);
                out.push_back(std::move(s));
                return;
            }
        } else if (kw == "class") {
            s.name = std::string(name_token().text);
            if (at_op("(")) {
                NodeId callee = add(NodeKind::name, first, s.name);
                s.header = call_trailer(callee);
            }
            expect_op(":");
        } else {
            // with, async with, match, case: headers we do not model.
            skip_header();
        }
        block(s);
        out.push_back(std::move(s));
    }

    void block(Statement& s) {
        if (peek().kind != TokenKind::newline) {
            simple_statements(s.body);
            s.end_line = peek().line;
            return;
        }
        next();
        if (peek().kind != TokenKind::indent) {
            fail_at(peek(), "expected an indented block after '" + s.keyword +
                                "' statement on line " + std::to_string(s.line));
        }
        next();
        if (++m_blocks > max_block_depth) {
            fail_at(peek(), "too many levels of indentation");
        }
        while (peek().kind != TokenKind::dedent && peek().kind != TokenKind::end) {
            statement(s.body);
        }
        --m_blocks;
        s.end_line = peek().line;
        if (peek().kind == TokenKind::dedent) {
            next();
        }
    }

    // Steps over a block without parsing it: to the end of the line for a
    // body on the header's line, else to the DEDENT that closes the INDENT.
    void skip_block(Statement& s) {
        if (peek().kind != TokenKind::newline) {
            while (peek().kind != TokenKind::newline && peek().kind != TokenKind::end) {
                next();
            }
            s.end_line = peek().line;
            next();
            return;
        }
        next();
        if (peek().kind != TokenKind::indent) {
            fail_at(peek(), "expected an indented block after '" + s.keyword +
                                "' statement on line " + std::to_string(s.line));
        }
        next();
        int depth = 1;
        while (depth > 0 && peek().kind != TokenKind::end) {
            TokenKind k = next().kind;
            depth += k == TokenKind::indent ? 1 : k == TokenKind::dedent ? -1 : 0;
        }
        s.end_line = peek().line;
    }

    void simple_statements(std::vector<Statement>& out) {
        for (;;) {
            out.push_back(simple_statement());
            if (accept_op(";")) {
                if (at_statement_end()) {
                    break;
                }
                continue;
            }
            break;
        }
        if (peek().kind == TokenKind::newline) {
            next();
        } else if (peek().kind != TokenKind::end) {
            unexpected();
        }
    }

    const Token& name_token() {
        if (peek().kind != TokenKind::name || is_keyword(peek().text)) {
            unexpected();
        }
        return next();
    }

    void dotted() {
        name_token();
        while (accept_op(".")) {
            name_token();
        }
    }

    Statement simple_statement() {
        const Token& first = peek();
        Statement s{StatementKind::expression, first.line, first.column, first.line, {}, {}, {},
                    no_node, no_node, {}, no_node, {}};
        if (first.kind == TokenKind::name) {
            std::string_view w = first.text;
            if (w == "pass" || w == "break" || w == "continue") {
                s.kind = StatementKind::keyword;
                s.keyword = std::string(next().text);
                return s;
            }
            if (w == "return" || w == "del") {
                s.kind = StatementKind::keyword;
                s.keyword = std::string(next().text);
                if (!at_statement_end()) {
                    s.value = star_expressions();
                }
                return s;
            }
            if (w == "raise") {
                s.kind = StatementKind::keyword;
                s.keyword = std::string(next().text);
                if (!at_statement_end()) {
                    s.value = expression();
                    if (accept_name("from")) {
                        expression();
                    }
                }
                return s;
            }
            if (w == "global" || w == "nonlocal") {
                s.kind = StatementKind::keyword;
                s.keyword = std::string(next().text);
                do {
                    name_token();
                } while (accept_op(","));
                return s;
            }
            if (w == "assert") {
                s.kind = StatementKind::keyword;
                s.keyword = std::string(next().text);
                s.value = expression();
                if (accept_op(",")) {
                    expression();
                }
                return s;
            }
            if (w == "import") {
                s.kind = StatementKind::import;
                s.keyword = std::string(next().text);
                do {
                    dotted();
                    if (accept_name("as")) {
                        name_token();
                    }
                } while (accept_op(","));
                return s;
            }
            if (w == "from") {
                s.kind = StatementKind::import;
                s.keyword = std::string(next().text);
                bool relative = false;
                while (at_op(".") || at_op("...")) {
                    next();
                    relative = true;
                }
                if (!at_name("import")) {
                    dotted();
                } else if (!relative) {
                    unexpected();
                }
                if (!accept_name("import")) {
                    unexpected();
                }
                if (accept_op("*")) {
                    return s;
                }
                bool paren = accept_op("(");
                do {
                    if (paren && at_op(")")) {
                        break;
                    }
                    name_token();
                    if (accept_name("as")) {
                        name_token();
                    }
                } while (accept_op(","));
                if (paren) {
                    expect_op(")");
                }
                return s;
            }
        }
        NodeId lhs = at_name("yield") ? yield_expression() : star_expressions();
        if (accept_op(":")) {
            s.kind = StatementKind::annotated;
            s.targets.push_back(lhs);
            s.annotation = expression();
            if (accept_op("=")) {
                s.value = at_name("yield") ? yield_expression() : star_expressions();
            }
            return s;
        }
        for (auto op : augmented_ops) {
            if (at_op(op)) {
                next();
                s.kind = StatementKind::augmented;
                s.targets.push_back(lhs);
                s.value = at_name("yield") ? yield_expression() : star_expressions();
                return s;
            }
        }
        if (at_op("=")) {
            s.kind = StatementKind::assign;
            std::vector<NodeId> chain{lhs};
            while (accept_op("=")) {
                chain.push_back(at_name("yield") ? yield_expression() : star_expressions());
            }
            s.value = chain.back();
            chain.pop_back();
            s.targets = std::move(chain);
            return s;
        }
        s.value = lhs;
        return s;
    }

    // ---- expressions --------------------------------------------------------
    bool at_expression_list_end() const {
        const Token& t = peek();
        if (t.kind == TokenKind::newline || t.kind == TokenKind::end) {
            return true;
        }
        if (t.kind == TokenKind::op) {
            std::string_view o = t.text;
            if (o == ";" || o == "=" || o == ")" || o == "]" || o == "}" || o == ":") {
                return true;
            }
            if (o.size() >= 2 && o.back() == '=' && o != "==" && o != "<=" && o != ">=" &&
                o != "!=") {
                return true;  // an augmented assignment operator
            }
        }
        return t.kind == TokenKind::name && (t.text == "in" || t.text == "for" || t.text == "if");
    }

    NodeId star_or(bool named) {
        if (at_op("*")) {
            const Token& t = next();
            NodeId id = add(NodeKind::starred, t, "*");
            NodeId v = bitwise_or();
            node(id).children.push_back(v);
            return id;
        }
        return named ? named_expression() : expression();
    }

    // Comma-separated expressions, a tuple when a comma appears.
    NodeId star_expressions() {
        const Token& first = peek();
        NodeId e = star_or(false);
        if (!at_op(",")) {
            return e;
        }
        NodeId t = add(NodeKind::tuple, first);
        node(t).children.push_back(e);
        while (accept_op(",")) {
            if (at_expression_list_end()) {
                break;
            }
            NodeId x = star_or(false);
            node(t).children.push_back(x);
        }
        return t;
    }

    void target_list() {
        do {
            if (at_name("in")) {
                break;
            }
            star_or_target();
        } while (accept_op(","));
    }

    void star_or_target() {
        if (accept_op("*")) {
            bitwise_or();
            return;
        }
        bitwise_or();
    }

    NodeId yield_expression() {
        const Token& t = next();  // yield
        NodeId id = add(NodeKind::other, t, "yield");
        if (accept_name("from")) {
            node(id).children.push_back(expression());
        } else if (!at_expression_list_end()) {
            NodeId v = star_expressions();
            node(id).children.push_back(v);
        }
        return id;
    }

    NodeId named_expression() {
        const Token& t = peek();
        NodeId e = expression();
        if (at_op(":=")) {
            next();
            NodeId v = expression();
            NodeId id = add(NodeKind::other, t, ":=");
            node(id).children = {e, v};
            return id;
        }
        return e;
    }

    NodeId expression() {
        DepthGuard guard(*this);
        if (at_name("lambda")) {
            const Token& t = next();
            skip_lambda_parameters();
            NodeId body = expression();
            NodeId id = add(NodeKind::other, t, "lambda");
            node(id).children.push_back(body);
            return id;
        }
        const Token& t = peek();
        NodeId e = disjunction();
        if (at_name("if")) {
            next();
            NodeId cond = disjunction();
            if (!accept_name("else")) {
                fail_at(peek(), "expected 'else' after 'if' expression");
            }
            NodeId alt = expression();
            NodeId id = add(NodeKind::other, t, "if-else");
            node(id).children = {e, cond, alt};
            return id;
        }
        return e;
    }

    void skip_lambda_parameters() {
        int depth = 0;
        for (;;) {
            const Token& x = peek();
            if (x.kind == TokenKind::newline || x.kind == TokenKind::end) {
                fail_at(x, "expected ':'");
            }
            if (x.kind == TokenKind::op) {
                if (x.text == "(" || x.text == "[" || x.text == "{") {
                    ++depth;
                } else if (x.text == ")" || x.text == "]" || x.text == "}") {
                    if (depth == 0) {
                        fail_at(x, "expected ':'");
                    }
                    --depth;
                } else if (x.text == ":" && depth == 0) {
                    next();
                    return;
                }
            }
            next();
        }
    }

    NodeId binary_chain(NodeId (Parser::*operand)(), std::initializer_list<std::string_view> ops,
                        bool names) {
        const Token& t = peek();
        NodeId left = (this->*operand)();
        for (;;) {
            const Token& o = peek();
            bool match = false;
            if (names ? o.kind == TokenKind::name : o.kind == TokenKind::op) {
                for (auto op : ops) {
                    if (same(o.text, op)) {
                        match = true;
                        break;
                    }
                }
            }
            if (!match) {
                return left;
            }
            next();
            NodeId right = (this->*operand)();
            NodeId id = add(NodeKind::binary, t, std::string(o.text));
            node(id).children = {left, right};
            left = id;
        }
    }

    NodeId disjunction() { return binary_chain(&Parser::conjunction, {"or"}, true); }
    NodeId conjunction() { return binary_chain(&Parser::inversion, {"and"}, true); }
    NodeId inversion() {
        if (at_name("not")) {
            DepthGuard guard(*this);
            const Token& t = next();
            NodeId v = inversion();
            NodeId id = add(NodeKind::unary, t, "not");
            node(id).children.push_back(v);
            return id;
        }
        return comparison();
    }
    NodeId comparison() {
        const Token& t = peek();
        NodeId left = bitwise_or();
        for (;;) {
            std::string op;
            const Token& o = peek();
            if (o.kind == TokenKind::op &&
                (o.text == "<" || o.text == ">" || o.text == "==" || o.text == ">=" ||
                 o.text == "<=" || o.text == "!=")) {
                op = std::string(next().text);
            } else if (at_name("in")) {
                next();
                op = "in";
            } else if (at_name("not") && at_name("in", 1)) {
                next();
                next();
                op = "not in";
            } else if (at_name("is")) {
                next();
                op = accept_name("not") ? "is not" : "is";
            } else {
                return left;
            }
            NodeId right = bitwise_or();
            NodeId id = add(NodeKind::other, t, op);
            node(id).children = {left, right};
            left = id;
        }
    }
    NodeId bitwise_or() { return binary_chain(&Parser::bitwise_xor, {"|"}, false); }
    NodeId bitwise_xor() { return binary_chain(&Parser::bitwise_and, {"^"}, false); }
    NodeId bitwise_and() { return binary_chain(&Parser::shift, {"&"}, false); }
    NodeId shift() { return binary_chain(&Parser::sum, {"<<", ">>"}, false); }
    NodeId sum() { return binary_chain(&Parser::term, {"+", "-"}, false); }
    NodeId term() { return binary_chain(&Parser::factor, {"*", "/", "//", "%", "@"}, false); }
    NodeId factor() {
        if (at_op("-") || at_op("+") || at_op("~")) {
            DepthGuard guard(*this);
            const Token& t = next();
            NodeId v = factor();
            NodeId id = add(NodeKind::unary, t, std::string(t.text));
            node(id).children.push_back(v);
            return id;
        }
        return power();
    }
    NodeId power() {
        const Token& t = peek();
        NodeId base = await_primary();
        if (accept_op("**")) {
            NodeId exp = factor();
            NodeId id = add(NodeKind::binary, t, "**");
            node(id).children = {base, exp};
            return id;
        }
        return base;
    }
    NodeId await_primary() {
        if (at_name("await")) {
            const Token& t = next();
            NodeId v = primary();
            NodeId id = add(NodeKind::other, t, "await");
            node(id).children.push_back(v);
            return id;
        }
        return primary();
    }

    NodeId primary() {
        NodeId e = atom();
        for (;;) {
            if (at_op(".")) {
                next();
                const Token& n = name_token();
                NodeId id = add(NodeKind::attribute, n, std::string(n.text));
                node(id).line = node(e).line;
                node(id).column = node(e).column;
                node(id).children.push_back(e);
                e = id;
            } else if (at_op("(")) {
                e = call_trailer(e);
            } else if (at_op("[")) {
                const Token& t = next();
                NodeId index = subscript_list();
                expect_op("]");
                NodeId id = add(NodeKind::subscript, t);
                node(id).line = node(e).line;
                node(id).column = node(e).column;
                node(id).children = {e, index};
                e = id;
            } else {
                return e;
            }
        }
    }

    NodeId call_trailer(NodeId callee) {
        DepthGuard guard(*this);
        const Token& open = next();  // (
        NodeId id = add(NodeKind::call, open);
        node(id).line = node(callee).line;
        node(id).column = node(callee).column;
        node(id).children.push_back(callee);
        while (!at_op(")")) {
            if (at_op("*") || at_op("**")) {
                const Token& s = next();
                NodeId v = expression();
                if (s.text == "**") {
                    node(id).keywords.push_back(Keyword{"", v});
                } else {
                    NodeId st = add(NodeKind::starred, s, "*");
                    node(st).children.push_back(v);
                    node(id).children.push_back(st);
                }
            } else if (peek().kind == TokenKind::name && at_op("=", 1) &&
                       !is_keyword(peek().text)) {
                std::string name(next().text);
                next();
                NodeId v = expression();
                node(id).keywords.push_back(Keyword{std::move(name), v});
            } else {
                const Token& t = peek();
                NodeId v = named_expression();
                if (at_name("for") || at_name("async")) {
                    v = comprehension(t, v);
                }
                node(id).children.push_back(v);
            }
            if (!accept_op(",")) {
                break;
            }
        }
        expect_op(")");
        return id;
    }

    NodeId subscript_list() {
        const Token& first = peek();
        NodeId e = subscript_item();
        if (!at_op(",")) {
            return e;
        }
        NodeId t = add(NodeKind::tuple, first);
        node(t).children.push_back(e);
        while (accept_op(",")) {
            if (at_op("]")) {
                break;
            }
            NodeId x = subscript_item();
            node(t).children.push_back(x);
        }
        return t;
    }

    NodeId subscript_item() {
        const Token& t = peek();
        NodeId lower = no_node;
        if (!at_op(":")) {
            lower = star_or(true);
            if (!at_op(":")) {
                return lower;
            }
        }
        NodeId id = add(NodeKind::slice, t);
        if (lower != no_node) {
            node(id).children.push_back(lower);
        }
        while (accept_op(":")) {
            if (!at_op(":") && !at_op("]") && !at_op(",")) {
                NodeId x = expression();
                node(id).children.push_back(x);
            }
        }
        return id;
    }

    NodeId comprehension(const Token& at, NodeId element) {
        NodeId id = add(NodeKind::other, at, "comprehension");
        node(id).children.push_back(element);
        while (at_name("for") || (at_name("async") && at_name("for", 1))) {
            accept_name("async");
            next();  // for
            target_list();
            if (!accept_name("in")) {
                fail_at(peek(), "expected 'in'");
            }
            NodeId it = disjunction();
            node(id).children.push_back(it);
            while (at_name("if")) {
                next();
                NodeId cond = disjunction();
                node(id).children.push_back(cond);
            }
        }
        return id;
    }

    NodeId strings() {
        const Token& first = peek();
        std::string value;
        bool any_bytes = false;
        bool any_text = false;
        bool formatted = false;
        bool inexact = false;
        while (peek().kind == TokenKind::string) {
            const Token& t = next();
            std::string error;
            auto piece = decode_string_token(t.text, error);
            if (!piece) {
                fail_at(t, error);
            }
            (piece->bytes ? any_bytes : any_text) = true;
            formatted |= piece->formatted;
            inexact |= piece->inexact;
            value += piece->value;
        }
        if (any_bytes && any_text) {
            fail_at(first, "cannot mix bytes and nonbytes literals");
        }
        NodeKind kind = formatted ? NodeKind::fstring : any_bytes ? NodeKind::bytes : NodeKind::string;
        NodeId id = add(kind, first, std::move(value));
        node(id).inexact = inexact;
        return id;
    }

    NodeId atom() {
        const Token& t = peek();
        switch (t.kind) {
        case TokenKind::string:
            return strings();
        case TokenKind::number:
            next();
            return add(NodeKind::number, t, std::string(t.text));
        case TokenKind::name:
            if (t.text == "None" || t.text == "True" || t.text == "False") {
                next();
                return add(NodeKind::constant, t, std::string(t.text));
            }
            if (is_keyword(t.text)) {
                unexpected();
            }
            next();
            return add(NodeKind::name, t, std::string(t.text));
        case TokenKind::op:
            if (t.text == "...") {
                next();
                return add(NodeKind::constant, t, "Ellipsis");
            }
            if (t.text == "(") {
                return parenthesized();
            }
            if (t.text == "[") {
                return list_display();
            }
            if (t.text == "{") {
                return brace_display();
            }
            unexpected();
        default:
            unexpected();
        }
    }

    NodeId parenthesized() {
        DepthGuard guard(*this);
        const Token& open = next();
        if (accept_op(")")) {
            return add(NodeKind::tuple, open);
        }
        if (at_name("yield")) {
            NodeId y = yield_expression();
            expect_op(")");
            return y;
        }
        NodeId first = star_or(true);
        if (at_name("for") || at_name("async")) {
            NodeId c = comprehension(open, first);
            expect_op(")");
            return c;
        }
        if (!at_op(",")) {
            expect_op(")");
            return first;
        }
        NodeId t = add(NodeKind::tuple, open);
        node(t).children.push_back(first);
        while (accept_op(",")) {
            if (at_op(")")) {
                break;
            }
            NodeId x = star_or(true);
            node(t).children.push_back(x);
        }
        expect_op(")");
        return t;
    }

    NodeId list_display() {
        DepthGuard guard(*this);
        const Token& open = next();
        NodeId id = add(NodeKind::list, open);
        if (accept_op("]")) {
            return id;
        }
        return display_elements(open, id, "]");
    }

    // The elements of a list or set display after its opening bracket:
    // comma-separated, a trailing comma allowed, or a comprehension.
    NodeId display_elements(const Token& open, NodeId id, std::string_view closer) {
        NodeId first = star_or(true);
        if (at_name("for") || at_name("async")) {
            NodeId c = comprehension(open, first);
            expect_op(closer);
            return c;
        }
        node(id).children.push_back(first);
        while (accept_op(",")) {
            if (at_op(closer)) {
                break;
            }
            NodeId x = star_or(true);
            node(id).children.push_back(x);
        }
        expect_op(closer);
        return id;
    }

    NodeId brace_display() {
        DepthGuard guard(*this);
        const Token& open = next();
        if (accept_op("}")) {
            return add(NodeKind::dict, open);
        }
        // A dict when the first entry is `k: v` or `**m`, else a set.
        if (at_op("**") || !dict_entry_follows()) {
            if (!at_op("**")) {
                return display_elements(open, add(NodeKind::set, open), "}");
            }
        }
        NodeId id = add(NodeKind::dict, open);
        bool first_entry = true;
        for (;;) {
            if (accept_op("**")) {
                NodeId v = bitwise_or();
                node(id).children.push_back(no_node);
                node(id).children.push_back(v);
            } else {
                NodeId k = expression();
                expect_op(":");
                NodeId v = expression();
                if (first_entry && (at_name("for") || at_name("async"))) {
                    NodeId c = comprehension(open, v);
                    node(c).children.push_back(k);
                    expect_op("}");
                    return c;
                }
                node(id).children.push_back(k);
                node(id).children.push_back(v);
            }
            first_entry = false;
            if (!accept_op(",") || at_op("}")) {
                break;
            }
        }
        expect_op("}");
        return id;
    }

    // Looks ahead past one expression at depth 0 for a ':' before ',' or '}'.
    bool dict_entry_follows() const {
        int depth = 0;
        for (std::size_t k = 0;; ++k) {
            const Token& x = peek(k);
            if (x.kind == TokenKind::end) {
                return false;
            }
            if (x.kind == TokenKind::name && x.text == "lambda" && depth == 0) {
                return false;
            }
            if (x.kind != TokenKind::op) {
                continue;
            }
            if (x.text == "(" || x.text == "[" || x.text == "{") {
                ++depth;
            } else if (x.text == ")" || x.text == "]" || x.text == "}") {
                if (depth == 0) {
                    return false;
                }
                --depth;
            } else if (depth == 0 && x.text == ",") {
                return false;
            } else if (depth == 0 && x.text == ":") {
                return true;
            }
        }
    }

    const std::vector<Token>& m_t;
    Module& m_m;
    ParseOptions m_options;
    std::size_t m_i = 0;
    int m_depth = 0;
    int m_blocks = 0;
};

}  // namespace

ParseResult parse_module(std::string_view bytes, ParseOptions options) {
    ParseResult result;
    auto module = std::make_unique<Module>();
    DecodedSource decoded = decode_source(bytes);
    if (decoded.error) {
        result.error = decoded.error;
        return result;
    }
    module->source = std::move(decoded.text);
    TokenStream stream = tokenize(module->source);
    if (stream.error) {
        result.error = stream.error;
        return result;
    }
    module->nodes.reserve(stream.tokens.size() / 2 + 16);
    try {
        Parser(stream.tokens, *module, options).file();
    } catch (const Fail& f) {
        result.error = f.error;
        return result;
    }
    result.module = std::move(module);
    return result;
}

std::string dotted_name(const Module& m, NodeId id) {
    if (id == no_node) {
        return {};
    }
    const Node& n = m.node(id);
    if (n.kind == NodeKind::name) {
        return n.text;
    }
    if (n.kind == NodeKind::attribute) {
        std::string base = dotted_name(m, n.children[0]);
        return base.empty() ? std::string() : base + "." + n.text;
    }
    return {};
}

}  // namespace migcheck::python
