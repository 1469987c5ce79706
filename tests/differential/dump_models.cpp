// Test-only: reads the models files named on the command line (paths as
// given) and prints {"schema": ..., "findings": [...], "unchecked": [...]}
// as JSON, for test_models_vs_sqlalchemy.py.
#include "migcheck/models/reader.hpp"
#include "migcheck/schema/json.hpp"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

int main(int argc, char** argv) {
    std::vector<migcheck::models::SourceFile> files;
    for (int i = 1; i < argc; ++i) {
        std::ifstream in(argv[i], std::ios::binary);
        if (!in) {
            std::cerr << "dump_models: error: cannot read " << argv[i] << "\n";
            return 3;
        }
        std::ostringstream bytes;
        bytes << in.rdbuf();
        files.push_back({argv[i], bytes.str()});
    }
    migcheck::models::ModelsResult result = migcheck::models::read_models(files);
    nlohmann::json findings = nlohmann::json::array();
    for (const migcheck::Finding& f : result.findings) {
        findings.push_back(f.file + ":" + std::to_string(f.line) + ": " + f.code + ": " + f.message);
    }
    nlohmann::json unchecked = nlohmann::json::array();
    for (const auto& [table, column] : result.unchecked) {
        unchecked.push_back({table, column});
    }
    nlohmann::json out = {{"schema", migcheck::schema::schema_to_json(result.schema)},
                          {"findings", findings},
                          {"unchecked", unchecked}};
    std::cout << out.dump(2) << "\n";
    return 0;
}
