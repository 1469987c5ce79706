#pragma once

#include <map>
#include <string>
#include <vector>

namespace migcheck {

// What a child process did.
struct ProcessResult {
    int exit_code = -1;  // 128 + signal number when killed by a signal
    std::string output;  // stdout and stderr together, in order
};

// Runs argv[0] (searched on PATH when it has no '/') in `cwd` with the
// environment plus `env`, collecting its output. Throws runtime_error when it
// cannot be started.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::map<std::string, std::string>& env);

// The first Python that can import every module: $MIGCHECK_PYTHON when set,
// then /usr/bin/python3 (where Debian's packages install), then python3 on
// PATH. Throws runtime_error naming the interpreters tried when none can.
std::string find_python(const std::vector<std::string>& modules);

}  // namespace migcheck
