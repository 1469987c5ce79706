#include "migcheck/sql/ddl_parse.hpp"

#include "migcheck/util/text.hpp"

#include <cctype>
#include <span>

namespace migcheck::sql {
namespace {

struct Token {
    enum class Kind { word, identifier, string, punct };
    Kind kind = Kind::punct;
    // Words and punctuation as written; identifiers and strings unquoted.
    std::string text;
    std::size_t begin = 0;  // byte offsets into the statement
    std::size_t end = 0;
};

using Tokens = std::span<const Token>;

bool is_word_char(char c) {
    auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '$' || u >= 0x80;
}

// Reads the quoted run opened at `i` and closed by `close` into `out`; where
// `doubling` holds, two closing quotes in a row stand for one. Returns the
// index just past the run, or s.size() when it never closes.
std::size_t read_quoted(std::string_view s, std::size_t i, char close, bool doubling,
                        std::string& out) {
    std::size_t j = i + 1;
    while (j < s.size()) {
        if (s[j] == close) {
            if (doubling && j + 1 < s.size() && s[j + 1] == close) {
                out += close;
                j += 2;
                continue;
            }
            return j + 1;
        }
        out += s[j];
        ++j;
    }
    return s.size();
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        char c = s[i];
        char next = i + 1 < s.size() ? s[i + 1] : '\0';
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            ++i;
            continue;
        }
        if (c == '-' && next == '-') {
            std::size_t newline = s.find('\n', i);
            i = newline == std::string_view::npos ? s.size() : newline + 1;
            continue;
        }
        if (c == '/' && next == '*') {
            std::size_t close = s.find("*/", i + 2);
            i = close == std::string_view::npos ? s.size() : close + 2;
            continue;
        }
        Token t;
        t.begin = i;
        if (c == '\'') {
            t.kind = Token::Kind::string;
            i = read_quoted(s, i, '\'', true, t.text);
        } else if (c == '"' || c == '`') {
            t.kind = Token::Kind::identifier;
            i = read_quoted(s, i, c, true, t.text);
        } else if (c == '[') {
            // SQL Server's brackets, which SQLite accepts, have no escape.
            t.kind = Token::Kind::identifier;
            i = read_quoted(s, i, ']', false, t.text);
        } else if (is_word_char(c)) {
            t.kind = Token::Kind::word;
            while (i < s.size() && is_word_char(s[i])) {
                ++i;
            }
            t.text = std::string(s.substr(t.begin, i - t.begin));
        } else {
            t.text = std::string(1, c);
            ++i;
        }
        t.end = i;
        out.push_back(std::move(t));
    }
    return out;
}

bool is_keyword(const Token& t, std::string_view keyword) {
    return t.kind == Token::Kind::word && text::to_lower(t.text) == text::to_lower(keyword);
}

bool is_punct(const Token& t, char c) {
    return t.kind == Token::Kind::punct && t.text.size() == 1 && t.text[0] == c;
}

bool is_keyword_at(Tokens tokens, std::size_t i, std::string_view keyword) {
    return i < tokens.size() && is_keyword(tokens[i], keyword);
}

bool is_open_at(Tokens tokens, std::size_t i) {
    return i < tokens.size() && is_punct(tokens[i], '(');
}

// A name as the statement gives it: an identifier, a bare word, or (as
// SQLite also accepts) a string.
std::string name_at(Tokens tokens, std::size_t i) {
    return i < tokens.size() && !tokens[i].text.empty() && tokens[i].kind != Token::Kind::punct
               ? tokens[i].text
               : "";
}

// The index of the ')' that closes the '(' at `open`, or tokens.size().
std::size_t matching_close(Tokens tokens, std::size_t open) {
    std::size_t depth = 0;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        if (is_punct(tokens[i], '(')) {
            ++depth;
        } else if (is_punct(tokens[i], ')') && --depth == 0) {
            return i;
        }
    }
    return tokens.size();
}

// The comma-separated items between the '(' at `open` and its ')'.
std::vector<Tokens> items_in_parentheses(Tokens tokens, std::size_t open) {
    std::vector<Tokens> out;
    std::size_t close = matching_close(tokens, open);
    std::size_t start = open + 1;
    std::size_t depth = 0;
    for (std::size_t i = open + 1; i <= close && i <= tokens.size(); ++i) {
        bool at_end = i == close || i == tokens.size();
        if (!at_end && is_punct(tokens[i], '(')) {
            ++depth;
        } else if (!at_end && is_punct(tokens[i], ')')) {
            --depth;
        } else if (at_end || (depth == 0 && is_punct(tokens[i], ','))) {
            if (i > start) {
                out.push_back(tokens.subspan(start, i - start));
            }
            start = i + 1;
        }
    }
    return out;
}

// The column names of "(a, b COLLATE NOCASE, c DESC)" at `open`.
std::vector<std::string> column_list(Tokens tokens, std::size_t open) {
    std::vector<std::string> out;
    for (Tokens item : items_in_parentheses(tokens, open)) {
        out.push_back(name_at(item, 0));
    }
    return out;
}

// Reads "REFERENCES t [(a, b)]" at `i` into `fk`; returns the index past it.
std::size_t read_references(Tokens tokens, std::size_t i, DdlConstraint& fk) {
    fk.kind = DdlConstraint::Kind::foreign_key;
    fk.referred_table = name_at(tokens, i + 1);
    if (is_open_at(tokens, i + 2)) {
        fk.referred_columns = column_list(tokens, i + 2);
        return matching_close(tokens, i + 2) + 1;
    }
    return i + 2;
}

bool starts_table_constraint(Tokens item) {
    for (const char* keyword : {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}) {
        if (is_keyword(item[0], keyword)) {
            return true;
        }
    }
    return false;
}

// "[CONSTRAINT name] PRIMARY KEY (...) | UNIQUE (...) | FOREIGN KEY (...)
// REFERENCES ... | CHECK (...)".
void read_table_constraint(Tokens item, std::vector<DdlConstraint>& out) {
    DdlConstraint c;
    std::size_t i = 0;
    if (is_keyword(item[0], "CONSTRAINT")) {
        c.name = name_at(item, 1);
        i = 2;
    }
    if (is_keyword_at(item, i, "PRIMARY") || is_keyword_at(item, i, "UNIQUE")) {
        c.kind = is_keyword(item[i], "PRIMARY") ? DdlConstraint::Kind::primary_key
                                                : DdlConstraint::Kind::unique;
        while (i < item.size() && !is_punct(item[i], '(')) {
            ++i;
        }
    } else if (is_keyword_at(item, i, "FOREIGN")) {
        while (i < item.size() && !is_punct(item[i], '(')) {
            ++i;
        }
        std::size_t references = matching_close(item, i);
        while (references < item.size() && !is_keyword(item[references], "REFERENCES")) {
            ++references;
        }
        if (references == item.size()) {
            return;
        }
        read_references(item, references, c);
    } else {
        return;
    }
    if (i < item.size()) {
        c.columns = column_list(item, i);
        out.push_back(std::move(c));
    }
}

// "name [type] [CONSTRAINT n] PRIMARY KEY ... UNIQUE ... REFERENCES ...":
// the constraints that apply to the one column.
void read_column_constraints(Tokens item, std::vector<DdlConstraint>& out) {
    std::string column = name_at(item, 0);
    std::string pending_name;
    std::size_t i = 1;
    while (i < item.size()) {
        const Token& t = item[i];
        if (is_punct(t, '(')) {
            // A type's arguments, a DEFAULT or CHECK expression: nothing named.
            i = matching_close(item, i) + 1;
            continue;
        }
        if (is_keyword(t, "CONSTRAINT")) {
            pending_name = name_at(item, i + 1);
            i += 2;
            continue;
        }
        DdlConstraint c;
        c.name = pending_name;
        c.columns = {column};
        pending_name.clear();
        if (is_keyword(t, "PRIMARY") || is_keyword(t, "UNIQUE")) {
            c.kind = is_keyword(t, "PRIMARY") ? DdlConstraint::Kind::primary_key
                                              : DdlConstraint::Kind::unique;
            out.push_back(std::move(c));
        } else if (is_keyword(t, "REFERENCES")) {
            i = read_references(item, i, c);
            out.push_back(std::move(c));
            continue;
        }
        ++i;
    }
}

}  // namespace

std::vector<DdlConstraint> parse_table_constraints(std::string_view create_table) {
    std::vector<Token> tokens = tokenize(create_table);
    std::vector<DdlConstraint> out;
    std::size_t open = 0;
    bool seen_table = false;
    while (open < tokens.size() && !is_punct(tokens[open], '(')) {
        seen_table = seen_table || is_keyword(tokens[open], "TABLE");
        ++open;
    }
    if (tokens.empty() || !is_keyword(tokens[0], "CREATE") || !seen_table ||
        open == tokens.size()) {
        return out;
    }
    for (Tokens item : items_in_parentheses(tokens, open)) {
        if (starts_table_constraint(item)) {
            read_table_constraint(item, out);
        } else {
            read_column_constraints(item, out);
        }
    }
    return out;
}

std::vector<std::string> parse_index_terms(std::string_view create_index) {
    std::vector<Token> tokens = tokenize(create_index);
    std::vector<std::string> out;
    std::size_t open = 0;
    bool seen_on = false;
    while (open < tokens.size() && !(seen_on && is_punct(tokens[open], '('))) {
        seen_on = seen_on || is_keyword(tokens[open], "ON");
        ++open;
    }
    if (open == tokens.size()) {
        return out;
    }
    for (Tokens item : items_in_parentheses(tokens, open)) {
        if (item.size() > 1 &&
            (is_keyword(item.back(), "ASC") || is_keyword(item.back(), "DESC"))) {
            item = item.first(item.size() - 1);
        }
        if (item.size() > 2 && is_keyword(item[item.size() - 2], "COLLATE")) {
            item = item.first(item.size() - 2);
        }
        std::string term;
        for (std::size_t k = 0; k < item.size(); ++k) {
            if (k > 0 && item[k].begin > item[k - 1].end) {
                term += ' ';
            }
            term += create_index.substr(item[k].begin, item[k].end - item[k].begin);
        }
        out.push_back(std::move(term));
    }
    return out;
}

}  // namespace migcheck::sql
