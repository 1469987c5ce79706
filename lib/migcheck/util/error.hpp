#pragma once

#include <stdexcept>
#include <string>

namespace migcheck {

// The process exit codes every tool uses; documented in the README.
enum class ExitCode : int {
    ok = 0,
    check_failed = 1,  // the check ran and found problems
    usage = 2,         // bad flag, alembic.ini, migcheck.yaml, schema.yaml, not a repository
    runtime = 3,       // environment or runtime failure (I/O, git, SQLite)
    interrupted = 130,
};

// A failure that stops the command. Caught once per process in the tool's entry
// point and printed as "<tool>: error: <message>".
class Error : public std::runtime_error {
  public:
    Error(ExitCode code, const std::string& message)
        : std::runtime_error(message), m_code(code) {}
    ExitCode code() const { return m_code; }

  private:
    ExitCode m_code;
};

// Configuration or usage problem: exit 2.
inline Error usage_error(const std::string& message) { return Error(ExitCode::usage, message); }
// Environment or runtime problem: exit 3.
inline Error runtime_error(const std::string& message) { return Error(ExitCode::runtime, message); }

}  // namespace migcheck
