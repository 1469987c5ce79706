#pragma once

#include "migcheck/report/finding.hpp"

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace migcheck {

enum class Format { text, json, github };

// Parses "text", "json" or "github"; throws usage_error otherwise.
Format parse_format(const std::string& name, bool allow_github);

// The version of every JSON document the tools print.
inline constexpr int json_version = 1;

// Findings as text: "file:line:col: severity: message [code]", one a line,
// then a summary line. Colour only when `colour` is set.
void render_text(std::ostream& out, const std::vector<Finding>& findings, bool colour);

// Findings as GitHub workflow commands (::error file=...,line=...::message).
void render_github(std::ostream& out, const std::vector<Finding>& findings);

nlohmann::json findings_json(const std::vector<Finding>& findings);

// A JSON document as the tools print it: indented, with any invalid UTF-8
// (from a file's bytes) replaced rather than failing the whole output.
std::string dump_json(const nlohmann::json& doc);

// "2 errors, 1 warning" / "no problems".
std::string summary(const std::vector<Finding>& findings);

// True when stdout is a terminal and NO_COLOR is unset.
bool use_colour();

// Applies configured severities: drops findings whose rule is off and sets
// the severity of the rest.
template <class Settings>
void apply_severities(std::vector<Finding>& findings, const Settings& settings) {
    std::vector<Finding> kept;
    for (auto& f : findings) {
        Severity s = settings.rules.count(f.code) != 0U ? settings.rules.at(f.code) : f.severity;
        if (s == Severity::off) {
            continue;
        }
        f.severity = s;
        kept.push_back(std::move(f));
    }
    findings = std::move(kept);
}

}  // namespace migcheck
