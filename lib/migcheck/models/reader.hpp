#pragma once

#include "migcheck/report/finding.hpp"
#include "migcheck/schema/schema.hpp"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace migcheck::models {

// One Python file of the models, by path relative to the project root.
struct SourceFile {
    std::string path;
    std::string bytes;
};

// What the SQLAlchemy models declare, as a schema.
struct ModelsResult {
    // Tables in the order the files and classes declare them; every element's
    // Location is the model file and line that declares it.
    schema::Schema schema;
    // Warnings (rule `models-not-understood`) for what the reader could not
    // read without running Python: a column type built by an unknown call, a
    // dynamic __tablename__, a mixin it cannot find... each at its file and
    // line. A file that is not valid Python is an error (`syntax-error`).
    std::vector<Finding> findings;
    // Columns the reader could not fully read, as (table, column); a column of
    // "" means the whole table. Comparisons skip these and say so.
    std::set<std::pair<std::string, std::string>> unchecked;
};

// Reads SQLAlchemy models (1.4 Column style and 2.0 Mapped/mapped_column
// style, declarative classes, Table(...) objects, mixins and abstract bases,
// Flask-SQLAlchemy's db.Model) from the given files, which together form the
// models package. Pure: no I/O.
ModelsResult read_models(const std::vector<SourceFile>& files);

}  // namespace migcheck::models
