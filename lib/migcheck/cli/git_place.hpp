#pragma once

#include "migcheck/git/repository.hpp"

#include <string>

namespace migcheck::cli {

// A project inside a git repository.
struct GitPlace {
    git::Repository repo;
    std::string root;    // the project root, absolute
    std::string prefix;  // the root relative to the working tree's top ("" at the top)
};

// Opens the repository holding `dir` (-C; "" is the current directory) and
// finds the project root in it as every tool does (config::find_root), never
// above the working tree's top. Throws usage_error outside a repository.
GitPlace open_git_place(const std::string& dir);

}  // namespace migcheck::cli
