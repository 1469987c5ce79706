#include "migcheck/python/tokenizer.hpp"

#include <cstdio>
#include <string>

namespace migcheck::python {
namespace {

bool is_name_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

bool is_name_char(unsigned char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// The operator starting at `s`, longest first, or an empty view. A switch on
// the first character keeps this off the hot path's memcmp.
std::string_view match_operator(std::string_view s) {
    auto take = [&](std::size_t n) { return s.substr(0, n); };
    char c = s[0];
    char c1 = s.size() > 1 ? s[1] : '\0';
    char c2 = s.size() > 2 ? s[2] : '\0';
    switch (c) {
    case '(': case ')': case '[': case ']': case '{': case '}': case ',': case ';': case '~':
        return take(1);
    case '.':
        return c1 == '.' && c2 == '.' ? take(3) : take(1);
    case ':':
        return c1 == '=' ? take(2) : take(1);
    case '-':
        return c1 == '>' || c1 == '=' ? take(2) : take(1);
    case '*':
    case '/':
        if (c1 == c) {
            return c2 == '=' ? take(3) : take(2);
        }
        return c1 == '=' ? take(2) : take(1);
    case '<':
    case '>':
        if (c1 == c) {
            return c2 == '=' ? take(3) : take(2);
        }
        if (c == '<' && c1 == '>') {
            return take(2);
        }
        return c1 == '=' ? take(2) : take(1);
    case '=': case '!': case '+': case '%': case '&': case '|': case '^': case '@':
        if (c1 == '=') {
            return take(2);
        }
        return c == '!' ? std::string_view() : take(1);
    default:
        return {};
    }
}

// Names may hold letters of any script, but not the spaces, punctuation and
// symbols that editors and copy-paste bring in (a no-break space, smart
// quotes, an em dash). Without Unicode's full tables, these blocks are what
// is refused, with CPython's message; `nullptr` means "may be a name".
const char* non_identifier(std::string_view s) {
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    char32_t cp = 0;
    if ((b(0) & 0xE0) == 0xC0 && s.size() >= 2) {
        cp = (static_cast<char32_t>(b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    } else if ((b(0) & 0xF0) == 0xE0 && s.size() >= 3) {
        cp = (static_cast<char32_t>(b(0) & 0x0F) << 12) | (static_cast<char32_t>(b(1) & 0x3F) << 6) |
             (b(2) & 0x3F);
    } else {
        return nullptr;
    }
    bool space = cp == 0xA0 || cp == 0x85 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) ||
                 cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
                 cp == 0xFEFF;
    bool symbol = (cp >= 0xA1 && cp <= 0xBF && cp != 0xAA && cp != 0xB5 && cp != 0xBA) ||
                  cp == 0xD7 || cp == 0xF7 || (cp >= 0x2010 && cp <= 0x205E) ||
                  (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x3001 && cp <= 0x303F);
    if (!space && !symbol) {
        return nullptr;
    }
    static thread_local char buf[80];
    if (space) {
        std::snprintf(buf, sizeof buf, "invalid non-printable character U+%04X",
                      static_cast<unsigned>(cp));
    } else {
        std::size_t len = (b(0) & 0xE0) == 0xC0 ? 2 : 3;
        std::snprintf(buf, sizeof buf, "invalid character '%.*s' (U+%04X)", static_cast<int>(len),
                      s.data(), static_cast<unsigned>(cp));
    }
    return buf;
}

class Tokenizer {
  public:
    explicit Tokenizer(std::string_view src) : m_src(src) {}

    TokenStream run() {
        m_indents.push_back(0);
        m_out.tokens.reserve(m_src.size() / 5 + 16);
        while (!m_out.error && m_pos < m_src.size()) {
            if (m_at_line_start && m_brackets.empty()) {
                if (!line_start()) {
                    continue;
                }
            }
            if (m_pos >= m_src.size()) {
                break;
            }
            one_token();
        }
        if (m_out.error) {
            return std::move(m_out);
        }
        if (!m_brackets.empty()) {
            const auto& open = m_brackets.back();
            fail(open.line, open.column, std::string("'") + open.ch + "' was never closed");
            return std::move(m_out);
        }
        if (!m_out.tokens.empty() && m_out.tokens.back().kind != TokenKind::newline &&
            m_out.tokens.back().kind != TokenKind::dedent) {
            push(TokenKind::newline, m_src.substr(m_src.size(), 0), m_line, column());
        }
        while (m_indents.size() > 1) {
            m_indents.pop_back();
            push(TokenKind::dedent, m_src.substr(m_src.size(), 0), m_line, 1);
        }
        push(TokenKind::end, m_src.substr(m_src.size(), 0), m_line, 1);
        return std::move(m_out);
    }

  private:
    struct Open {
        char ch;
        int line;
        int column;
    };

    int column() const { return static_cast<int>(m_pos - m_line_start) + 1; }

    void fail(int line, int col, std::string message) {
        if (!m_out.error) {
            m_out.error = SyntaxError{line, col, std::move(message)};
        }
    }

    void push(TokenKind kind, std::string_view text, int line, int col) {
        m_out.tokens.push_back(Token{kind, text, line, col});
    }

    void newline_at(std::size_t pos) {
        m_pos = pos + 1;
        ++m_line;
        m_line_start = m_pos;
    }

    // Handles indentation at the start of a logical line. Returns false when
    // the physical line was blank or a comment and has been consumed.
    bool line_start() {
        int width = 0;
        int alt = 0;  // the width with tabs counted as one column
        std::size_t p = m_pos;
        while (p < m_src.size()) {
            char c = m_src[p];
            if (c == ' ') {
                ++width;
                ++alt;
            } else if (c == '\t') {
                width = (width / 8 + 1) * 8;
                ++alt;
            } else if (c == '\f') {
                width = alt = 0;
            } else {
                break;
            }
            ++p;
        }
        if (p >= m_src.size()) {
            m_pos = p;
            return false;
        }
        char c = m_src[p];
        if (c == '#' || c == '\n' || c == '\r' ||
            (c == '\\' && p + 1 < m_src.size() && (m_src[p + 1] == '\n' || m_src[p + 1] == '\r'))) {
            if (c == '\\') {
                // A continuation on an otherwise blank line joins nothing.
                m_pos = p + 1;
                skip_newline();
                return false;
            }
            std::size_t nl = m_src.find('\n', p);
            if (nl == std::string_view::npos) {
                m_pos = m_src.size();
            } else {
                newline_at(nl);
            }
            return false;
        }
        m_pos = p;
        m_at_line_start = false;
        int col = column();
        // Indentation must compare the same way whatever a tab's width, else
        // its meaning depends on the editor: CPython's TabError.
        const char* tab_error = "inconsistent use of tabs and spaces in indentation";
        if (width == m_indents.back()) {
            if (alt != m_alt_indents.back()) {
                fail(m_line, col, tab_error);
                return false;
            }
        } else if (width > m_indents.back()) {
            if (alt <= m_alt_indents.back()) {
                fail(m_line, col, tab_error);
                return false;
            }
            m_indents.push_back(width);
            m_alt_indents.push_back(alt);
            push(TokenKind::indent, m_src.substr(m_line_start, m_pos - m_line_start), m_line, 1);
        } else {
            while (width < m_indents.back()) {
                m_indents.pop_back();
                m_alt_indents.pop_back();
                push(TokenKind::dedent, m_src.substr(m_pos, 0), m_line, col);
            }
            if (width != m_indents.back()) {
                fail(m_line, col, "unindent does not match any outer indentation level");
                return false;
            }
            if (alt != m_alt_indents.back()) {
                fail(m_line, col, tab_error);
                return false;
            }
        }
        return true;
    }

    void skip_newline() {
        if (m_pos < m_src.size() && m_src[m_pos] == '\r') {
            ++m_pos;
        }
        if (m_pos < m_src.size() && m_src[m_pos] == '\n') {
            ++m_pos;
        }
        ++m_line;
        m_line_start = m_pos;
    }

    void one_token() {
        char c = m_src[m_pos];
        if (c == ' ' || c == '\t' || c == '\f') {
            ++m_pos;
            return;
        }
        if (c == '#') {
            std::size_t nl = m_src.find('\n', m_pos);
            m_pos = nl == std::string_view::npos ? m_src.size() : nl;
            return;
        }
        if (c == '\r' || c == '\n') {
            int col = column();
            std::size_t start = m_pos;
            skip_newline();
            if (m_brackets.empty()) {
                push(TokenKind::newline, m_src.substr(start, 1), m_line - 1, col);
                m_at_line_start = true;
            }
            return;
        }
        if (c == '\\') {
            std::size_t p = m_pos + 1;
            if (p < m_src.size() && (m_src[p] == '\n' || m_src[p] == '\r')) {
                m_pos = p;
                skip_newline();
                if (m_pos >= m_src.size()) {
                    fail(m_line, 1, "unexpected EOF while parsing");
                }
                return;
            }
            fail(m_line, column(), "unexpected character after line continuation character");
            return;
        }
        auto uc = static_cast<unsigned char>(c);
        if (uc >= 0x80) {
            if (const char* why = non_identifier(m_src.substr(m_pos))) {
                fail(m_line, column(), why);
                return;
            }
        }
        if (is_name_start(uc)) {
            std::size_t start = m_pos;
            while (m_pos < m_src.size() && is_name_char(static_cast<unsigned char>(m_src[m_pos]))) {
                if (static_cast<unsigned char>(m_src[m_pos]) >= 0xC0) {
                    if (const char* why = non_identifier(m_src.substr(m_pos))) {
                        fail(m_line, column(), why);
                        return;
                    }
                }
                ++m_pos;
            }
            std::string_view name = m_src.substr(start, m_pos - start);
            if (m_pos < m_src.size() && (m_src[m_pos] == '\'' || m_src[m_pos] == '"') &&
                is_string_prefix(name)) {
                string_token(start);
                return;
            }
            push(TokenKind::name, name, m_line, static_cast<int>(start - m_line_start) + 1);
            return;
        }
        if (c == '\'' || c == '"') {
            string_token(m_pos);
            return;
        }
        if (is_digit(uc) || (c == '.' && m_pos + 1 < m_src.size() &&
                             is_digit(static_cast<unsigned char>(m_src[m_pos + 1])))) {
            number_token();
            return;
        }
        if (std::string_view op = match_operator(m_src.substr(m_pos)); !op.empty()) {
            operator_token(op);
            return;
        }
        char buf[64];
        if (c == '!') {
            std::snprintf(buf, sizeof buf, "invalid syntax");
        } else if (uc < 0x20 || uc == 0x7f) {
            std::snprintf(buf, sizeof buf, "invalid non-printable character U+%04X", uc);
        } else {
            std::snprintf(buf, sizeof buf, "invalid character '%c' (U+%04X)", c, uc);
        }
        fail(m_line, column(), buf);
    }

    void operator_token(std::string_view op) {
        int col = column();
        char c = op[0];
        if (op.size() == 1 && (c == '(' || c == '[' || c == '{')) {
            if (static_cast<int>(m_brackets.size()) >= max_bracket_depth) {
                fail(m_line, col, "too many nested parentheses");
                return;
            }
            m_brackets.push_back(Open{c, m_line, col});
        } else if (op.size() == 1 && (c == ')' || c == ']' || c == '}')) {
            if (m_brackets.empty()) {
                fail(m_line, col, std::string("unmatched '") + c + "'");
                return;
            }
            char open = m_brackets.back().ch;
            char want = open == '(' ? ')' : open == '[' ? ']' : '}';
            if (c != want) {
                const auto& o = m_brackets.back();
                std::string msg = std::string("closing parenthesis '") + c +
                                  "' does not match opening parenthesis '" + open + "'";
                if (o.line != m_line) {
                    msg += " on line " + std::to_string(o.line);
                }
                fail(m_line, col, msg);
                return;
            }
            m_brackets.pop_back();
        } else if (op == "<>") {
            fail(m_line, col, "invalid syntax");
            return;
        }
        push(TokenKind::op, m_src.substr(m_pos, op.size()), m_line, col);
        m_pos += op.size();
    }

    void number_token() {
        std::size_t start = m_pos;
        int col = column();
        auto more = [&](auto pred) {
            while (m_pos < m_src.size() && pred(static_cast<unsigned char>(m_src[m_pos]))) {
                ++m_pos;
            }
        };
        auto digit_or_us = [](unsigned char ch) { return is_digit(ch) || ch == '_'; };
        if (m_src[m_pos] == '0' && m_pos + 1 < m_src.size() &&
            std::string_view("xXoObB").find(m_src[m_pos + 1]) != std::string_view::npos) {
            m_pos += 2;
            more([](unsigned char ch) { return std::isxdigit(ch) || ch == '_'; });
        } else {
            more(digit_or_us);
            if (m_pos < m_src.size() && m_src[m_pos] == '.') {
                ++m_pos;
                more(digit_or_us);
            }
            if (m_pos < m_src.size() && (m_src[m_pos] == 'e' || m_src[m_pos] == 'E')) {
                std::size_t save = m_pos;
                ++m_pos;
                if (m_pos < m_src.size() && (m_src[m_pos] == '+' || m_src[m_pos] == '-')) {
                    ++m_pos;
                }
                if (m_pos < m_src.size() && is_digit(static_cast<unsigned char>(m_src[m_pos]))) {
                    more(digit_or_us);
                } else {
                    m_pos = save;
                }
            }
            if (m_pos < m_src.size() && (m_src[m_pos] == 'j' || m_src[m_pos] == 'J')) {
                ++m_pos;
            }
        }
        if (m_pos < m_src.size() && is_name_start(static_cast<unsigned char>(m_src[m_pos]))) {
            // CPython 3.11 still accepts a keyword right after a number
            // (`1if x else 2`), with a warning; anything else is an error.
            std::string_view rest = m_src.substr(m_pos);
            bool keyword = false;
            for (std::string_view k : {"and", "else", "for", "if", "in", "is", "not", "or"}) {
                keyword |= rest.substr(0, k.size()) == k;
            }
            if (!keyword) {
                fail(m_line, col, "invalid decimal literal");
                return;
            }
        }
        push(TokenKind::number, m_src.substr(start, m_pos - start), m_line, col);
    }

    void string_token(std::size_t start) {
        int line = m_line;
        int col = static_cast<int>(start - m_line_start) + 1;
        std::size_t p = m_pos;  // at the opening quote
        char q = m_src[p];
        bool triple = m_src.substr(p, 3) == std::string(3, q);
        p += triple ? 3 : 1;
        for (;;) {
            if (p >= m_src.size()) {
                m_pos = p;
                fail(line, col,
                     std::string(triple ? "unterminated triple-quoted string literal"
                                        : "unterminated string literal") +
                         " (detected at line " + std::to_string(m_line) + ")");
                return;
            }
            char c = m_src[p];
            if (c == '\\') {
                if (p + 1 < m_src.size() && (m_src[p + 1] == '\n' || m_src[p + 1] == '\r')) {
                    m_pos = p + 1;
                    skip_newline();
                    p = m_pos;
                    continue;
                }
                p += 2;
                continue;
            }
            if (c == '\n' || c == '\r') {
                if (!triple) {
                    m_pos = p;
                    fail(line, col,
                         "unterminated string literal (detected at line " + std::to_string(m_line) +
                             ")");
                    return;
                }
                m_pos = p;
                skip_newline();
                p = m_pos;
                continue;
            }
            if (c == q) {
                if (!triple) {
                    ++p;
                    break;
                }
                if (m_src.substr(p, 3) == std::string(3, q)) {
                    p += 3;
                    break;
                }
            }
            ++p;
        }
        m_pos = p;
        push(TokenKind::string, m_src.substr(start, p - start), line, col);
    }

    std::string_view m_src;
    std::size_t m_pos = 0;
    std::size_t m_line_start = 0;
    int m_line = 1;
    bool m_at_line_start = true;
    std::vector<int> m_indents;
    std::vector<int> m_alt_indents{0};
    std::vector<Open> m_brackets;
    TokenStream m_out;
};

}  // namespace

bool is_string_prefix(std::string_view name) {
    if (name.empty() || name.size() > 2) {
        return false;
    }
    std::string lower;
    for (char c : name) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return lower == "r" || lower == "u" || lower == "b" || lower == "f" || lower == "br" ||
           lower == "rb" || lower == "fr" || lower == "rf";
}

TokenStream tokenize(std::string_view source) { return Tokenizer(source).run(); }

}  // namespace migcheck::python
