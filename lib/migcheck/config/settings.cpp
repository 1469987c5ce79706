// The config/migcheck.yaml loader: the one place besides the schema loader that
// includes yaml-cpp.
#include "migcheck/config/project.hpp"

#include "migcheck/report/rules.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <set>
#include <yaml-cpp/yaml.h>

namespace migcheck::config {
namespace {

std::string where(const std::string& path, const YAML::Mark& mark) {
    return path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string scalar(const YAML::Node& node, const std::string& path, const std::string& key) {
    if (!node.IsScalar()) {
        throw usage_error(where(path, node.Mark()) + ": '" + key + "' must be a string");
    }
    return node.Scalar();
}

}  // namespace

Severity Settings::severity(const std::string& code) const {
    auto it = rules.find(code);
    if (it != rules.end()) {
        return it->second;
    }
    const RuleInfo* info = find_rule(code);
    return info != nullptr ? info->default_severity : Severity::error;
}

Settings parse_settings(const std::string& text, const std::string& path) {
    Settings s;
    s.path = path;
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        throw usage_error(where(path, e.mark) + ": " + e.msg);
    }
    if (!root || root.IsNull()) {
        return s;
    }
    if (!root.IsMap()) {
        throw usage_error(where(path, root.Mark()) + ": expected a mapping of settings");
    }
    static const std::vector<std::string> known = {"schema", "models", "alembic_ini",
                                                   "rules", "heads", "render_as_batch"};
    std::set<std::string> seen;
    for (const auto& kv : root) {
        std::string key = kv.first.Scalar();
        const YAML::Node& value = kv.second;
        if (!seen.insert(key).second) {
            throw usage_error(where(path, kv.first.Mark()) + ": '" + key + "' is set twice");
        }
        if (key == "schema") {
            s.schema = normalize_path(scalar(value, path, key));
        } else if (key == "alembic_ini") {
            s.alembic_ini = normalize_path(scalar(value, path, key));
        } else if (key == "models") {
            if (!value.IsSequence() || value.size() == 0) {
                throw usage_error(where(path, value.Mark()) +
                                  ": 'models' must be a non-empty list of globs");
            }
            s.models.clear();
            for (const auto& g : value) {
                s.models.push_back(scalar(g, path, "models"));
            }
        } else if (key == "rules") {
            if (!value.IsMap()) {
                throw usage_error(where(path, value.Mark()) +
                                  ": 'rules' must map rule codes to error, warning or off");
            }
            for (const auto& rule : value) {
                std::string code = rule.first.Scalar();
                if (find_rule(code) == nullptr) {
                    throw usage_error(where(path, rule.first.Mark()) + ": unknown rule '" + code +
                                      "'" + text::did_you_mean(code, rule_codes()));
                }
                std::string sev = rule.second.IsScalar() ? rule.second.Scalar() : "";
                if (sev == "error") {
                    s.rules[code] = Severity::error;
                } else if (sev == "warning") {
                    s.rules[code] = Severity::warning;
                } else if (sev == "off") {
                    s.rules[code] = Severity::off;
                } else {
                    throw usage_error(where(path, rule.second.Mark()) + ": severity of '" + code +
                                      "' must be error, warning or off");
                }
            }
        } else if (key == "heads") {
            int n = 0;
            if (!value.IsScalar() || !YAML::convert<int>::decode(value, n) || n < 1) {
                throw usage_error(where(path, value.Mark()) +
                                  ": 'heads' must be a whole number, 1 or more");
            }
            s.heads = n;
        } else if (key == "render_as_batch") {
            bool b = false;
            if (!value.IsScalar() || !YAML::convert<bool>::decode(value, b)) {
                throw usage_error(where(path, value.Mark()) +
                                  ": 'render_as_batch' must be true or false");
            }
            s.render_as_batch = b;
        } else {
            throw usage_error(where(path, kv.first.Mark()) + ": unknown key '" + key + "'" +
                              text::did_you_mean(key, known));
        }
    }
    return s;
}

}  // namespace migcheck::config
