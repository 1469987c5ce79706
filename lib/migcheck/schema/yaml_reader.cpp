#include "migcheck/schema/yaml_reader.hpp"

#include "migcheck/schema/identifier.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>

namespace migcheck::schema::detail {

std::string suggestion(const std::string& word, const std::vector<std::string>& candidates,
                       const std::string& fallback) {
    std::string hint = text::did_you_mean(word, candidates);
    return hint.empty() ? "; " + fallback : hint;
}

const Entry* find_entry(const std::vector<Entry>& entries, const std::string& key) {
    for (const auto& e : entries) {
        if (e.key == key) {
            return &e;
        }
    }
    return nullptr;
}

void Reader::fail(const YAML::Mark& mark, const std::string& message) const {
    // An empty document has no position; its problems are at the start.
    int line = mark.line < 0 ? 1 : mark.line + 1;
    int column = mark.column < 0 ? 1 : mark.column + 1;
    throw usage_error(m_path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      message);
}

YAML::Mark Reader::value_mark(const Entry& entry) const {
    return entry.value.IsNull() ? entry.key_node.Mark() : entry.value.Mark();
}

std::vector<Entry> Reader::entries(const YAML::Node& map, const std::vector<std::string>& known,
                                   const std::string& context,
                                   const std::string& declared_as) const {
    std::vector<Entry> out;
    for (const auto& kv : map) {
        if (!kv.first.IsScalar()) {
            fail(kv.first.Mark(), "expected a name here, not a list or a mapping");
        }
        std::string key = kv.first.Scalar();
        if (!known.empty() && std::find(known.begin(), known.end(), key) == known.end()) {
            if (key == "<<") {
                fail(kv.first.Mark(), "YAML merge keys ('<<') are not supported; write the keys "
                                      "out");
            }
            fail(kv.first.Mark(),
                 "unknown key '" + key + "' " + context +
                     suggestion(key, known, "the keys here are " + text::join(known, ", ")));
        }
        // yaml-cpp keeps the first of two equal keys and drops the second
        // without a word: a typo'd copy would be ignored.
        for (const auto& seen : out) {
            if (seen.key == key) {
                std::string first = std::to_string(seen.key_node.Mark().line + 1);
                if (declared_as.empty()) {
                    fail(kv.first.Mark(), "'" + key + "' is given twice " + context +
                                              " (first at line " + first + "); keep one");
                }
                fail(kv.first.Mark(), declared_as + key + " is declared twice (first at line " +
                                          first + "); remove or rename one");
            }
        }
        out.push_back(Entry{key, kv.first, kv.second});
    }
    return out;
}

std::string Reader::text(const Entry& entry, const std::string& what) const {
    if (!entry.value.IsScalar()) {
        fail(value_mark(entry), "'" + entry.key + "' must be " + what);
    }
    return entry.value.Scalar();
}

bool Reader::boolean(const Entry& entry) const {
    bool b = false;
    if (!entry.value.IsScalar() || !YAML::convert<bool>::decode(entry.value, b)) {
        fail(value_mark(entry), "'" + entry.key + "' must be true or false");
    }
    return b;
}

int Reader::whole_number(const Entry& entry, int minimum) const {
    std::string message =
        "'" + entry.key + "' must be a whole number, " + std::to_string(minimum) + " or more";
    if (!entry.value.IsScalar()) {
        fail(value_mark(entry), message);
    }
    const std::string& s = entry.value.Scalar();
    // Digits only: no sign, no hex, no exponent, and few enough not to overflow.
    if (s.empty() || s.size() > 9 ||
        !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        fail(value_mark(entry), message);
    }
    int n = std::stoi(s);
    if (n < minimum) {
        fail(value_mark(entry), message);
    }
    return n;
}

void Reader::check_identifier(const YAML::Mark& mark, const std::string& name,
                              const std::string& what) const {
    std::string problem = identifier_problem(name);
    if (!problem.empty()) {
        fail(mark, what + " '" + name + "' " + problem);
    }
}

void Reader::claim_name(const std::string& name, const YAML::Mark& mark, const std::string& what,
                        const std::string& owner) {
    auto [it, added] = m_names.emplace(name, owner);
    if (!added) {
        fail(mark, what + " name '" + name + "' is already used by " + it->second +
                       "; index and constraint names must be unique in the whole schema: rename "
                       "one");
    }
}

}  // namespace migcheck::schema::detail
