#pragma once

#include "migcheck/config/project.hpp"
#include "migcheck/util/file_source.hpp"

#include <functional>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace migcheck::cli {

// Runs a tool's body once: an Error prints "<tool>: error: <message>" to
// stderr and becomes its exit code; any other exception exits 3. CLI11
// parse errors exit 2 (CLI11 itself uses 100 and up).
int run(const char* tool, CLI::App& app, int argc, char** argv, const std::function<int()>& body);

// The project a command works on: its root, found from `-C DIR` (or the
// current directory) as git finds a repository root, and its configuration.
struct Context {
    std::string root;
    std::unique_ptr<FileSource> files;
    config::Project project;
};

// Opens the project on the working tree.
Context open_project(const std::string& dir);

// Opens the project as it is in commit `rev` of the git repository holding it.
Context open_project_at(const std::string& dir, const std::string& rev);

// The absolute, resolved path of `dir` ("" is the current directory).
// Throws usage_error when it does not exist.
std::string absolute_dir(const std::string& dir);

// Adds `-C DIR` to an app or subcommand.
void add_directory_option(CLI::App& app, std::string& dir);

}  // namespace migcheck::cli
