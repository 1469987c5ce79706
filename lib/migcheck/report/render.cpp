#include "migcheck/report/render.hpp"

#include "migcheck/util/error.hpp"

#include <cstdlib>
#include <unistd.h>

namespace migcheck {
namespace {

std::string escape_data(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '%') {
            out += "%25";
        } else if (c == '\r') {
            out += "%0D";
        } else if (c == '\n') {
            out += "%0A";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escape_property(const std::string& s) {
    std::string out;
    for (char c : escape_data(s)) {
        if (c == ':') {
            out += "%3A";
        } else if (c == ',') {
            out += "%2C";
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

Format parse_format(const std::string& name, bool allow_github) {
    if (name == "text") {
        return Format::text;
    }
    if (name == "json") {
        return Format::json;
    }
    if (name == "github" && allow_github) {
        return Format::github;
    }
    throw usage_error("--format must be " + std::string(allow_github ? "text, json or github"
                                                                    : "text or json") +
                      ", not '" + name + "'");
}

std::string summary(const std::vector<Finding>& findings) {
    std::size_t errors = 0;
    std::size_t warnings = 0;
    for (const auto& f : findings) {
        (f.severity == Severity::error ? errors : warnings) += 1;
    }
    if (errors == 0 && warnings == 0) {
        return "no problems";
    }
    std::string s;
    if (errors != 0) {
        s += std::to_string(errors) + (errors == 1 ? " error" : " errors");
    }
    if (warnings != 0) {
        s += (s.empty() ? "" : ", ") + std::to_string(warnings) +
             (warnings == 1 ? " warning" : " warnings");
    }
    return s;
}

bool use_colour() {
    const char* no = std::getenv("NO_COLOR");
    return (no == nullptr || *no == '\0') && ::isatty(STDOUT_FILENO) != 0;
}

void render_text(std::ostream& out, const std::vector<Finding>& findings, bool colour) {
    for (const auto& f : findings) {
        out << f.file;
        if (f.line > 0) {
            out << ":" << f.line;
            if (f.column > 0) {
                out << ":" << f.column;
            }
        }
        out << ": ";
        if (colour) {
            out << (f.severity == Severity::error ? "\033[1;31m" : "\033[1;33m");
        }
        out << severity_name(f.severity);
        if (colour) {
            out << "\033[0m";
        }
        out << ": " << f.message << " [" << f.code << "]\n";
    }
}

void render_github(std::ostream& out, const std::vector<Finding>& findings) {
    for (const auto& f : findings) {
        out << "::" << (f.severity == Severity::error ? "error" : "warning")
            << " file=" << escape_property(f.file);
        if (f.line > 0) {
            out << ",line=" << f.line;
            if (f.column > 0) {
                out << ",col=" << f.column;
            }
        }
        out << ",title=" << escape_property(f.code) << "::" << escape_data(f.message) << "\n";
    }
}

std::string dump_json(const nlohmann::json& doc) {
    return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json findings_json(const std::vector<Finding>& findings) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& f : findings) {
        arr.push_back({{"severity", severity_name(f.severity)},
                       {"code", f.code},
                       {"file", f.file},
                       {"line", f.line},
                       {"column", f.column},
                       {"message", f.message}});
    }
    return arr;
}

}  // namespace migcheck
