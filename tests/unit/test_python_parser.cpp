#include "migcheck/python/ast.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace migcheck::python;

namespace {

std::unique_ptr<Module> parse_ok(std::string_view src) {
    ParseResult r = parse_module(src);
    if (r.error) {
        FAIL("unexpected syntax error at " << r.error->line << ":" << r.error->column << ": "
                                           << r.error->message);
    }
    return std::move(r.module);
}

SyntaxError parse_error(std::string_view src) {
    ParseResult r = parse_module(src);
    REQUIRE(r.error.has_value());
    return *r.error;
}

}  // namespace

TEST_CASE("assignments, annotated assignments and expressions") {
    auto m = parse_ok("revision = 'a'\nx: int = 3\ny: str\nz += 1\nf(1)\na = b = 'v'\n");
    REQUIRE(m->body.size() == 6);
    CHECK(m->body[0].kind == StatementKind::assign);
    CHECK(m->node(m->body[0].targets[0]).text == "revision");
    CHECK(m->node(m->body[0].value).kind == NodeKind::string);
    CHECK(m->node(m->body[0].value).text == "a");
    CHECK(m->body[1].kind == StatementKind::annotated);
    CHECK(m->node(m->body[1].value).text == "3");
    CHECK(m->body[2].kind == StatementKind::annotated);
    CHECK(m->body[2].value == no_node);
    CHECK(m->body[3].kind == StatementKind::augmented);
    CHECK(m->body[4].kind == StatementKind::expression);
    CHECK(m->body[5].targets.size() == 2);
}

TEST_CASE("calls keep positional and keyword arguments") {
    auto m = parse_ok("sa.Column('id', sa.Integer(), primary_key=True, **extra)\n");
    const Node& call = m->node(m->body[0].value);
    REQUIRE(call.kind == NodeKind::call);
    CHECK(dotted_name(*m, call.children[0]) == "sa.Column");
    REQUIRE(call.children.size() == 3);
    CHECK(m->node(call.children[1]).text == "id");
    CHECK(m->node(call.children[2]).kind == NodeKind::call);
    REQUIRE(call.keywords.size() == 2);
    CHECK(call.keywords[0].name == "primary_key");
    CHECK(m->node(call.keywords[0].value).text == "True");
    CHECK(call.keywords[1].name.empty());
}

TEST_CASE("adjacent strings join and escapes decode") {
    auto m = parse_ok("x = ('ab' \"c\\n\"\n     r'\\d' '\\x41\\u00e9')\n");
    CHECK(m->node(m->body[0].value).text == "abc\n\\dA\xC3\xA9");
    auto f = parse_ok("x = f'{a}' 'b'\n");
    CHECK(m->node(m->body[0].value).kind == NodeKind::string);
    CHECK(f->node(f->body[0].value).kind == NodeKind::fstring);
}

TEST_CASE("tuples, lists, subscripts and unions") {
    auto m = parse_ok("d: Union[str, Sequence[str], None] = ('a', 'b',)\ne: str | None = []\n");
    const Node& ann = m->node(m->body[0].annotation);
    CHECK(ann.kind == NodeKind::subscript);
    CHECK(m->node(ann.children[1]).kind == NodeKind::tuple);
    const Node& v = m->node(m->body[0].value);
    CHECK(v.kind == NodeKind::tuple);
    CHECK(v.children.size() == 2);
    CHECK(m->node(m->body[1].annotation).kind == NodeKind::binary);
    CHECK(m->node(m->body[1].value).kind == NodeKind::list);
}

TEST_CASE("compound statements nest their bodies") {
    auto m = parse_ok(
        "import os\nfrom a.b import (c as d,\n  e)\n"
        "@decorator(1)\ndef upgrade() -> None:\n    \"\"\"Doc.\"\"\"\n    if x:\n        pass\n"
        "    else: y = 1\n"
        "class A(Base, metaclass=M):\n    id = Column(Integer)\n"
        "try:\n    import x\nexcept (A, B) as e:\n    raise\nfinally:\n    pass\n"
        "with open('f') as f, g:\n    pass\n"
        "for i, j in pairs:\n    continue\n"
        "async def f():\n    await g()\n    async for a in b: pass\n"
        "match command:\n    case [x, y]:\n        pass\n"
        "match = 3\n");
    REQUIRE(m->body.size() == 12);
    CHECK(m->body[0].kind == StatementKind::import);
    CHECK(m->body[2].keyword == "def");
    CHECK(m->body[2].name == "upgrade");
    CHECK(m->body[2].decorators.size() == 1);
    CHECK(m->body[2].body.size() == 3);
    CHECK(m->body[3].keyword == "class");
    CHECK(m->node(m->body[3].header).keywords[0].name == "metaclass");
    CHECK(m->body[4].keyword == "try");
    CHECK(m->body[5].keyword == "except");
    CHECK(m->body[10].keyword == "match");
    CHECK(m->body[11].kind == StatementKind::assign);
}

TEST_CASE("comprehensions, lambdas, conditionals and walrus parse") {
    parse_ok("x = [a for a in b if a]\ny = {k: v for k, v in d.items()}\nz = (i for i in r)\n"
             "w = lambda a, b=1, *c, **d: a if b else c\nif (n := len(a)) > 10: pass\n"
             "s = {1, 2}\nt = {**a, 'b': 2}\nu = a[1:2, ::3]\nv = not a is not b\n"
             "q = -x ** 2\nprint(*args, sep='')\nr = yield\n");
}

TEST_CASE("syntax errors are reported with line and column") {
    auto e = parse_error("revision = \n");
    CHECK(e.line == 1);
    CHECK(e.message == "invalid syntax");
    e = parse_error("def f(:\n    pass\n");
    CHECK(e.line == 1);
    e = parse_error("if x\n    pass\n");
    CHECK(e.message == "expected ':'");
    e = parse_error("def f():\nreturn 1\n");
    CHECK(e.message == "expected an indented block after 'def' statement on line 1");
    CHECK(e.line == 2);
    e = parse_error("x = 1\n    y = 2\n");
    CHECK(e.message == "unexpected indent");
    e = parse_error("print 'hello'\n");
    CHECK(e.line == 1);
    CHECK(e.column == 7);
    e = parse_error("x = b'a' 'b'\n");
    CHECK(e.message == "cannot mix bytes and nonbytes literals");
    e = parse_error("x = '\\x4'\n");
    CHECK(e.message == "(unicode error) truncated \\xXX escape");
}

TEST_CASE("encodings: UTF-8, a BOM, a latin-1 declaration, and bad bytes") {
    auto m = parse_ok("\xEF\xBB\xBFx = 'caf\xC3\xA9'\n");
    CHECK(m->node(m->body[0].value).text == "caf\xC3\xA9");
    auto l = parse_ok("# -*- coding: latin-1 -*-\nx = 'caf\xE9'\n");
    CHECK(l->node(l->body[0].value).text == "caf\xC3\xA9");
    auto e = parse_error("x = 1\ny = 'caf\xE9'\n");
    CHECK(e.line == 2);
    CHECK(e.column == 9);
    CHECK(e.message == "invalid UTF-8 byte 0xe9; Python source must be UTF-8 unless it declares "
                       "another encoding (# -*- coding: ... -*-)");
    e = parse_error(std::string("x = 1\0", 6));
    CHECK(e.message == "source code cannot contain null bytes");
    e = parse_error("# coding: klingon\nx = 1\n");
    CHECK(e.message == "unsupported source encoding 'klingon'; migcheck reads utf-8, latin-1, "
                       "iso-8859-15, cp1252 and ascii");
    auto w = parse_ok("# -*- coding: cp1252 -*-\nx = '\x93q\x94 \x80'\n");
    CHECK(w->node(w->body[0].value).text == "\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x82\xAC");
}

TEST_CASE("deep nesting is refused, never a crash") {
    std::string deep = "x = " + std::string(5000, '-') + "1\n";
    auto e = parse_error(deep);
    CHECK(e.message == "too many nested expressions");
    std::string nested;
    for (int i = 0; i < 101; ++i) {
        nested += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    }
    nested += std::string(101, ' ') + "pass\n";
    e = parse_error(nested);
    CHECK(e.message == "too many levels of indentation");
}

TEST_CASE("a large file parses") {
    std::string big = "\"\"\"doc\"\"\"\nrevision = 'a'\n";
    while (big.size() < 10 * 1024 * 1024) {
        big += "def f(x):\n    return [i * 2 for i in range(x) if i % 3]  # comment\n";
    }
    auto m = parse_ok(big);
    CHECK(m->body.size() > 100000);
}

TEST_CASE("universal newlines: CRLF and CR line ends read as LF") {
    auto m = parse_ok("\"\"\"a\r\n\r\nb\"\"\"\r\nx = 1\ry = 2\r");
    CHECK(m->node(m->body[0].value).text == "a\n\nb");
    REQUIRE(m->body.size() == 3);
    CHECK(m->body[2].line == 5);
}

TEST_CASE("match and case, with blocks or bodies on the same line") {
    auto m = parse_ok("match v:\n    case 1: value = 'one'\n    case _:\n        pass\n");
    REQUIRE(m->body.size() == 1);
    CHECK(m->body[0].keyword == "match");
    REQUIRE(m->body[0].body.size() == 2);
    CHECK(m->body[0].body[0].keyword == "case");
    CHECK(m->body[0].body[0].body[0].kind == StatementKind::assign);
}

TEST_CASE("surrogate escapes: a pair is one character, a lone one is U+FFFD") {
    auto m = parse_ok("x = '\\ud83d\\ude00 \\udc00'\n");
    CHECK(m->node(m->body[0].value).text == "\xF0\x9F\x98\x80 \xEF\xBF\xBD");
}
