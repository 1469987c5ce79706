#pragma once

// Helpers shared by the models reader's unit tests.

#include "migcheck/models/reader.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

namespace models_test {

using migcheck::models::ModelsResult;
using migcheck::models::SourceFile;

// Reads one file, app/models.py.
inline ModelsResult read_one(const std::string& src) {
    return migcheck::models::read_models({SourceFile{"app/models.py", src}});
}

// The findings as "file:line: code: message", in order.
inline std::vector<std::string> messages(const ModelsResult& r) {
    std::vector<std::string> out;
    for (const auto& f : r.findings) {
        out.push_back(f.file + ":" + std::to_string(f.line) + ": " + f.code + ": " + f.message);
    }
    return out;
}

// The findings as above, one per line.
inline std::string report(const ModelsResult& r) {
    std::string out;
    for (const auto& m : messages(r)) {
        out += m + "\n";
    }
    return out;
}

// Reads sources that must be read without a single finding.
inline ModelsResult read_clean(const std::vector<SourceFile>& files) {
    ModelsResult r = migcheck::models::read_models(files);
    for (const auto& m : messages(r)) {
        FAIL_CHECK("unexpected finding: " << m);
    }
    CHECK(r.unchecked.empty());
    return r;
}

inline ModelsResult read_clean(const std::string& src) {
    return read_clean({SourceFile{"app/models.py", src}});
}

// The table, which must exist.
inline const migcheck::schema::Table& table(const ModelsResult& r, const std::string& name) {
    const migcheck::schema::Table* t = r.schema.find_table(name);
    REQUIRE_MESSAGE(t != nullptr, "no table " << name);
    return *t;
}

inline const migcheck::schema::Column& column(const ModelsResult& r, const std::string& t,
                                              const std::string& name) {
    const migcheck::schema::Column* c = table(r, t).find_column(name);
    REQUIRE_MESSAGE(c != nullptr, "no column " << t << "." << name);
    return *c;
}

using V = std::vector<std::string>;

}  // namespace models_test
