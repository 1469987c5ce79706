#pragma once

#include <string>
#include <vector>

namespace migcheck {

enum class Severity { error, warning, off };

const char* severity_name(Severity s);

// A problem in what a check examines: data, collected and rendered at the end.
// `line` and `column` are 1-based; 0 means "the whole file".
struct Finding {
    Severity severity = Severity::error;
    std::string code;     // stable rule code, e.g. "MC101"
    std::string file;     // path relative to the project root, as shown to the user
    int line = 0;
    int column = 0;
    std::string message;  // says what is wrong and what to do
};

// Sorts findings by file, line, column, code, message, so output diffs cleanly.
void sort_findings(std::vector<Finding>& findings);

bool has_errors(const std::vector<Finding>& findings);

}  // namespace migcheck
