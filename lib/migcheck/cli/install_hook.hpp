#pragma once

#include <iosfwd>
#include <string>

namespace migcheck::cli {

// The text of hooks/pre-commit with `staged` as the migcheck-staged it runs
// when MIGCHECK_STAGED is not set (the MIGCHECK_STAGED_DEFAULT line, quoted
// for sh); "" leaves it to PATH.
std::string pre_commit_hook_text(const std::string& staged);

// `manage_migrations install-hook`: writes the pre-commit hook into the hooks
// folder of the git repository holding `dir` ("" is the current directory),
// as git finds it (core.hooksPath, else .git/hooks), creating the folder,
// mode 0755, atomically (a temporary file renamed over the hook). The hook
// runs the migcheck-staged found next to this executable (or in the build
// tree's layout), else the one on PATH.
//
// Prints what it did on `out`, and a warning on `err` when no migcheck-staged
// can be found. Returns 0 when installed, replaced (with `force`) or already
// there with the same text. Throws usage_error (exit 2) when a different hook
// is there and `force` is false (the file is left untouched), outside a git
// repository or in a bare one; runtime_error (exit 3) for I/O failures.
// Messages name the file.
int install_hook_command(const std::string& dir, bool force, std::ostream& out, std::ostream& err);

}  // namespace migcheck::cli
