#pragma once

// Helpers shared by the ops reader tests.
#include "migcheck/ops/reader.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace migcheck;
using namespace migcheck::ops;

namespace ops_reader_test {

using V = std::vector<std::string>;
using OptText = std::optional<std::string>;

inline const std::string path = "alembic/versions/ab12_rev.py";

inline RevisionOps read(const std::string& src) {
    return read_operations(src, path);
}

// A revision whose upgrade() holds `lines`: its first statement is on line 6.
inline std::string with_upgrade(const std::string& lines) {
    return "from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n" + lines;
}

// The operations of a body that must be interpretable.
inline const std::vector<Operation>& ops_of(const Body& body) {
    CHECK_MESSAGE(body.interpretable,
                  "stopped at line " << body.stopped_at.line << ": " << body.why);
    CHECK(body.present);
    return body.operations;
}

// The upgrade() operations of `lines` (see with_upgrade), exactly `count`.
inline std::vector<Operation> upgrade_ops(const std::string& lines, std::size_t count) {
    RevisionOps r = read(with_upgrade(lines));
    std::vector<Operation> ops = ops_of(r.upgrade);
    REQUIRE(ops.size() == count);
    return ops;
}

template <class T>
const T& as(const Operation& op) {
    REQUIRE_MESSAGE(std::holds_alternative<T>(op.change), "it is " << change_name(op.change));
    return std::get<T>(op.change);
}

inline void check_stop(const Body& body, int line, int column, const std::string& why) {
    CHECK_FALSE(body.interpretable);
    CHECK(body.stopped_at.file == path);
    CHECK(body.stopped_at.line == line);
    CHECK(body.stopped_column == column);
    CHECK(body.why == why);
}

// Where upgrade() of `lines` stops, with the number of operations before it.
inline Body stopped_upgrade(const std::string& lines, std::size_t before) {
    RevisionOps r = read(with_upgrade(lines));
    CHECK(r.upgrade.operations.size() == before);
    return r.upgrade;
}

}  // namespace ops_reader_test

using namespace ops_reader_test;
