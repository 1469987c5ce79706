#pragma once

#include <functional>
#include <string>

namespace migcheck::git {

// What git ignores under `root` (an absolute, resolved directory), as a
// predicate over paths relative to `root` ("app/models/gen.py", folders as
// "build/"): .gitignore files, .git/info/exclude and core.excludesFile, as
// `git check-ignore` reads them. An empty function when `root` is in no git
// repository, in a bare one, in one git refuses for its owner (a plain
// directory, and a fresh CI checkout, hold no ignored files to skip), or when
// the repository ignores `root` itself (the project is not its to describe).
// In its own file so that only tools which call it link libgit2.
std::function<bool(const std::string&)> ignored_paths(const std::string& root);

}  // namespace migcheck::git
