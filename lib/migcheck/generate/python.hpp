#pragma once

#include "migcheck/generate/plan.hpp"

#include <set>
#include <string>
#include <vector>

// Planned operations written as the Python of an Alembic revision's body,
// in the layout Alembic's autogenerate writes: op.* calls, and batch
// operations grouped into `with op.batch_alter_table(...) as batch_op:`
// blocks. What the operations reader (ops/reader.hpp) reads back.
namespace migcheck::generate {

// Which dialect's types to write where SQLAlchemy's generic ones do not
// serve: a uuid column is sa.Uuid() (SQLAlchemy 2.0) generically and
// postgresql.UUID() for PostgreSQL.
enum class Dialect { generic, postgresql };

// A Python string literal as Python's repr() writes it: single quotes
// unless the text holds a single quote and no double quote.
std::string python_repr(const std::string& text);

// The type as Alembic renders it: "sa.String(length=255)",
// "sa.Numeric(precision=12, scale=2)", "sa.Enum('a', 'b', name='status')".
std::string python_type(const schema::Type& type, Dialect dialect);

// The body's lines, without indentation of the body itself: a `with`
// block's operations are indented by four spaces. An operation with a
// caution is preceded by a "# destructive: ..." comment. Empty for no
// steps. Module imports the lines need beyond `op` and `sa` (for instance
// "from sqlalchemy.dialects import postgresql") are added to `imports`.
std::vector<std::string> render_body(const std::vector<Step>& steps, Dialect dialect,
                                     std::set<std::string>& imports);

// One line saying what an operation does, for the command's output:
// "add_column users.nickname", "alter_column users.email (type)".
std::string describe_step(const ops::Operation& op);

}  // namespace migcheck::generate
