#include "migcheck/report/finding.hpp"

#include <algorithm>
#include <tuple>

namespace migcheck {

const char* severity_name(Severity s) {
    switch (s) {
    case Severity::error: return "error";
    case Severity::warning: return "warning";
    case Severity::off: return "off";
    }
    return "error";
}

void sort_findings(std::vector<Finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.file, a.line, a.column, a.code, a.message) <
               std::tie(b.file, b.line, b.column, b.code, b.message);
    });
}

bool has_errors(const std::vector<Finding>& findings) {
    return std::any_of(findings.begin(), findings.end(),
                       [](const Finding& f) { return f.severity == Severity::error; });
}

}  // namespace migcheck
