#pragma once

#include "migcheck/schema/schema.hpp"

#include <optional>
#include <string>
#include <string_view>

// Canonical forms of values that have several spellings in SQL, so that two
// spellings of one schema compare equal. Pure text functions.
namespace migcheck::schema {

// The canonical form of a server default's SQL text on a column of type
// `kind`; nothing when there is no default. Two defaults are the same default
// exactly when their canonical forms are equal. The rules, in order:
//
//  1. Surrounding whitespace is dropped, and so are parentheses around the
//     whole expression, at any depth: "(CURRENT_TIMESTAMP)" and "((0))" are
//     "CURRENT_TIMESTAMP" and "0". "(a) + (b)" keeps its parentheses.
//  2. An empty text and NULL (any case) mean no default, as in SQL.
//  3. boolean: true, t, yes, y, on, 1 are TRUE and false, f, no, n, off, 0
//     are FALSE, in any case, quoted or not ("'true'", "true", "(true)",
//     "'1'", "1", "'t'" are one default). Other text goes on to rule 6.
//  4. integer, biginteger, smallinteger, float, numeric: a decimal number,
//     quoted or not, is written without a plus sign, leading zeros or
//     trailing fractional zeros ("'1'", "1", "+1", "1.0", "01" are one
//     default; "1.50" is "1.5").
//  5. string, text, enum: a whole number without quotes is the string of its
//     digits ("0" and "'0'" are one default): both databases store it so.
//  6. Everything else: outside quoted strings ('...') and quoted identifiers
//     ("..."), letters are upper-cased (keywords and function names are
//     case-insensitive: "current_timestamp" is "CURRENT_TIMESTAMP", "now()"
//     is "NOW()") and whitespace is dropped except a single space between
//     two words or a word and a quote ("now( )" is "NOW()", "a  ||  'b'" is
//     "A||'b'", "E 'x'" keeps its space). Quoted text is kept byte for byte:
//     "'en'" and "'EN'" differ.
//
// Not normalised, because the databases do not treat them as one: "now()"
// and "CURRENT_TIMESTAMP", "'en'" and "en" (a bare word is not a string
// literal), casts such as "'x'::text", and numbers in exponent form.
std::optional<std::string> normalise_server_default(const std::optional<std::string>& sql,
                                                    TypeKind kind);

// The canonical form of a foreign key's ON DELETE / ON UPDATE action: upper
// case, single spaces ("set  null" is "SET NULL"), and "" for NO ACTION,
// which is what both databases do when no action is given. RESTRICT stays
// RESTRICT: it differs from NO ACTION for deferred constraints.
std::string normalise_action(std::string_view action);

// Whether `sql`, trimmed, is one single-quoted SQL string literal.
bool is_string_literal(std::string_view sql);

}  // namespace migcheck::schema
