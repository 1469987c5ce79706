#include "migcheck/python/tokenizer.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace migcheck::python;

namespace {

std::string kinds(std::string_view src) {
    TokenStream s = tokenize(src);
    REQUIRE_FALSE(s.error.has_value());
    std::string out;
    for (const auto& t : s.tokens) {
        switch (t.kind) {
        case TokenKind::name: out += "N(" + std::string(t.text) + ")"; break;
        case TokenKind::number: out += "#(" + std::string(t.text) + ")"; break;
        case TokenKind::string: out += "S(" + std::string(t.text) + ")"; break;
        case TokenKind::op: out += "O(" + std::string(t.text) + ")"; break;
        case TokenKind::newline: out += "NL "; break;
        case TokenKind::indent: out += "IN "; break;
        case TokenKind::dedent: out += "DE "; break;
        case TokenKind::end: out += "END"; break;
        }
    }
    return out;
}

SyntaxError error_of(std::string_view src) {
    TokenStream s = tokenize(src);
    REQUIRE(s.error.has_value());
    return *s.error;
}

}  // namespace

TEST_CASE("tokens of simple statements") {
    CHECK(kinds("x = 1\n") == "N(x)O(=)#(1)NL END");
    CHECK(kinds("x: str = 'a'") == "N(x)O(:)N(str)O(=)S('a')NL END");
    CHECK(kinds("a **= 2 // 3") == "N(a)O(**=)#(2)O(//)#(3)NL END");
    CHECK(kinds("f(x) -> y := z ...") == "N(f)O(()N(x)O())O(->)N(y)O(:=)N(z)O(...)NL END");
}

TEST_CASE("comments and blank lines produce no tokens") {
    CHECK(kinds("# only a comment\n\n   \n") == "END");
    CHECK(kinds("x = 1  # trailing\n# next\ny = 2\n") == "N(x)O(=)#(1)NL N(y)O(=)#(2)NL END");
}

TEST_CASE("indentation gives indent and dedent tokens") {
    CHECK(kinds("if a:\n    b\n    if c:\n        d\ne\n") ==
          "N(if)N(a)O(:)NL IN N(b)NL N(if)N(c)O(:)NL IN N(d)NL DE DE N(e)NL END");
    CHECK(kinds("if a:\n\tb\n\tc\n") == "N(if)N(a)O(:)NL IN N(b)NL N(c)NL DE END");
}

TEST_CASE("brackets join lines and backslashes continue them") {
    CHECK(kinds("x = (1,\n     2)\n") == "N(x)O(=)O(()#(1)O(,)#(2)O())NL END");
    CHECK(kinds("x = 1 + \\\n    2\n") == "N(x)O(=)#(1)O(+)#(2)NL END");
    CHECK(kinds("d = {\n  'a': [1,\n# c\n 2],\n}\n") ==
          "N(d)O(=)O({)S('a')O(:)O([)#(1)O(,)#(2)O(])O(,)O(})NL END");
}

TEST_CASE("string literals of every form") {
    CHECK(kinds(R"(a = r'\d' b"x" Rb'y' f"{z}" u'w')") ==
          R"(N(a)O(=)S(r'\d')S(b"x")S(Rb'y')S(f"{z}")S(u'w')NL END)");
    CHECK(kinds("s = '''a\n'b'\n'''\n") == "N(s)O(=)S('''a\n'b'\n''')NL END");
    CHECK(kinds("s = 'it\\'s'") == "N(s)O(=)S('it\\'s')NL END");
    CHECK(kinds("s = 'a\\\nb'") == "N(s)O(=)S('a\\\nb')NL END");
    CHECK(kinds("s = \"\"") == "N(s)O(=)S(\"\")NL END");
}

TEST_CASE("a keyword right after a number is still two tokens, as CPython 3.11 reads it") {
    CHECK(kinds("x = 1if y else 2") == "N(x)O(=)#(1)N(if)N(y)N(else)#(2)NL END");
    CHECK(kinds("\xC3\xA9t\xC3\xA9 = 1") == "N(\xC3\xA9t\xC3\xA9)O(=)#(1)NL END");
}

TEST_CASE("numbers") {
    CHECK(kinds("x = 0x1F + 1_000 + 1.5e-3 + .5 + 3j + 0o7 + 0b1") ==
          "N(x)O(=)#(0x1F)O(+)#(1_000)O(+)#(1.5e-3)O(+)#(.5)O(+)#(3j)O(+)#(0o7)O(+)#(0b1)NL END");
}

TEST_CASE("positions are 1-based lines and columns") {
    TokenStream s = tokenize("a = 1\n  \nbb = 'x'\n");
    REQUIRE_FALSE(s.error);
    CHECK(s.tokens[4].text == "bb");
    CHECK(s.tokens[4].line == 3);
    CHECK(s.tokens[4].column == 1);
    CHECK(s.tokens[6].line == 3);
    CHECK(s.tokens[6].column == 6);
}

TEST_CASE("lexical errors carry CPython's message and position") {
    auto e = error_of("x = 'abc\ny = 1\n");
    CHECK(e.message == "unterminated string literal (detected at line 1)");
    CHECK(e.line == 1);
    CHECK(e.column == 5);

    e = error_of("x = '''abc\n\ny = 1\n");
    CHECK(e.message == "unterminated triple-quoted string literal (detected at line 4)");
    CHECK(e.line == 1);

    e = error_of("x = (1,\n 2\n");
    CHECK(e.message == "'(' was never closed");
    CHECK(e.line == 1);
    CHECK(e.column == 5);

    e = error_of("x = [1, 2)\n");
    CHECK(e.message == "closing parenthesis ')' does not match opening parenthesis '['");

    e = error_of("x = 1)\n");
    CHECK(e.message == "unmatched ')'");

    e = error_of("if a:\n    b\n  c\n");
    CHECK(e.message == "unindent does not match any outer indentation level");
    CHECK(e.line == 3);

    // A tab and eight spaces are equal only if a tab is eight columns wide.
    e = error_of("if a:\n\tb\n        c\n");
    CHECK(e.message == "inconsistent use of tabs and spaces in indentation");
    CHECK(e.line == 3);

    e = error_of("x\xC2\xA0= 1\n");
    CHECK(e.message == "invalid non-printable character U+00A0");
    e = error_of("x = \xE2\x80\x9Cquoted\xE2\x80\x9D\n");
    CHECK(e.message == "invalid character '\xE2\x80\x9C' (U+201C)");

    e = error_of("x = 1 \\ y\n");
    CHECK(e.message == "unexpected character after line continuation character");

    e = error_of("x = $\n");
    CHECK(e.message == "invalid character '$' (U+0024)");

    e = error_of("x = 1abc\n");
    CHECK(e.message == "invalid decimal literal");
}

TEST_CASE("bracket nesting is capped at 200, as in CPython") {
    std::string deep(200, '(');
    deep += std::string(200, ')');
    CHECK_FALSE(tokenize(deep).error.has_value());
    std::string deeper(201, '(');
    auto e = error_of(deeper);
    CHECK(e.message == "too many nested parentheses");
    CHECK(e.column == 201);
}

TEST_CASE("string prefixes") {
    CHECK(is_string_prefix("r"));
    CHECK(is_string_prefix("Rb"));
    CHECK(is_string_prefix("fR"));
    CHECK_FALSE(is_string_prefix("ub"));
    CHECK_FALSE(is_string_prefix("x"));
    CHECK_FALSE(is_string_prefix("rbf"));
}
