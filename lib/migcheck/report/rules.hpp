#pragma once

#include "migcheck/report/finding.hpp"

#include <string>
#include <vector>

namespace migcheck {

// A rule every check reports under: its stable code, default severity and a
// one-line summary for the README and `--list-rules`.
struct RuleInfo {
    const char* code;
    Severity default_severity;
    const char* summary;
};

const std::vector<RuleInfo>& all_rules();
const RuleInfo* find_rule(const std::string& code);
std::vector<std::string> rule_codes();

}  // namespace migcheck
