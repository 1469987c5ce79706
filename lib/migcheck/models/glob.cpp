#include "migcheck/models/glob.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

namespace migcheck::models {
namespace {

bool has_wildcard(std::string_view segment) {
    return segment.find_first_of("*?[\\") != std::string_view::npos;
}

// Matches one character against the set starting at pattern[p] == '['.
// Returns the index just past the set, or npos when the set is not closed
// (then the '[' is an ordinary character).
std::size_t match_set(std::string_view pattern, std::size_t p, char c, bool& matched) {
    std::size_t i = p + 1;
    bool negate = i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^');
    if (negate) {
        ++i;
    }
    bool found = false;
    bool first = true;
    while (i < pattern.size() && (pattern[i] != ']' || first)) {
        first = false;
        char lo = pattern[i];
        if (lo == '\\' && i + 1 < pattern.size()) {
            lo = pattern[++i];
        }
        char hi = lo;
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
            hi = pattern[i + 2];
            i += 2;
        }
        if (lo <= c && c <= hi) {
            found = true;
        }
        ++i;
    }
    if (i >= pattern.size()) {
        return std::string_view::npos;
    }
    matched = found != negate;
    return i + 1;
}

bool is_virtual_env_name(std::string_view name) {
    return name == "venv" || name == "site-packages" || name == "node_modules" ||
           name == "__pycache__";
}

std::vector<std::string> split(const std::string& glob) {
    std::string g = glob;
    while (g.rfind("./", 0) == 0 || g.rfind('/', 0) == 0) {
        g.erase(0, g[0] == '/' ? 1 : 2);
    }
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= g.size()) {
        std::size_t slash = g.find('/', start);
        std::string seg = g.substr(start, slash == std::string::npos ? std::string::npos
                                                                     : slash - start);
        // "a//b" and "a/./b" name a/b; consecutive "**" are one.
        if (!seg.empty() && seg != "." &&
            !(seg == "**" && !segments.empty() && segments.back() == "**")) {
            segments.push_back(seg);
        }
        if (slash == std::string::npos) {
            break;
        }
        start = slash + 1;
    }
    // As in .gitignore, a trailing "**" is everything inside.
    if (!segments.empty() && segments.back() == "**") {
        segments.emplace_back("*");
    }
    return segments;
}

class Walker {
  public:
    Walker(const FileSource& files, const IgnoredPredicate& ignored)
        : m_files(files), m_ignored(ignored) {}

    void walk(const std::string& dir, const std::vector<std::string>& segs, std::size_t i) {
        // With several "**" a folder is reached many ways; each is walked once.
        if (i >= segs.size() || !m_seen.emplace(dir, i).second) {
            return;
        }
        const std::string& seg = segs[i];
        bool last = i + 1 == segs.size();
        if (seg == "**") {
            walk(dir, segs, i + 1);
            for (const DirEntry& e : entries(dir)) {
                std::string child = join_path(dir, e.name);
                if (e.type == EntryType::directory && enterable(child, e.name)) {
                    walk(child, segs, i);
                }
            }
            return;
        }
        if (!has_wildcard(seg)) {
            std::string child = join_path(dir, seg);
            for (const DirEntry& e : entries(dir)) {
                if (e.name != seg) {
                    continue;
                }
                if (last) {
                    add_file(child, e.type);
                } else if (e.type == EntryType::directory || e.type == EntryType::directory_link) {
                    walk(child, segs, i + 1);
                }
            }
            return;
        }
        for (const DirEntry& e : entries(dir)) {
            if (!match_segment(seg, e.name)) {
                continue;
            }
            std::string child = join_path(dir, e.name);
            if (last) {
                add_file(child, e.type);
            } else if (e.type == EntryType::directory && enterable(child, e.name)) {
                walk(child, segs, i + 1);
            }
        }
    }

    // Globs differ in their segments, so what one walked says nothing of the next.
    void next_glob() { m_seen.clear(); }

    std::vector<std::string> found() const { return {m_found.begin(), m_found.end()}; }

  private:
    const std::vector<DirEntry>& entries(const std::string& dir) {
        auto it = m_lists.find(dir);
        if (it == m_lists.end()) {
            std::optional<std::vector<DirEntry>> listed = m_files.list(dir);
            it = m_lists.emplace(dir, listed ? std::move(*listed) : std::vector<DirEntry>{}).first;
        }
        return it->second;
    }

    bool enterable(const std::string& path, const std::string& name) {
        auto it = m_enterable.find(path);
        if (it != m_enterable.end()) {
            return it->second;
        }
        bool ok = !name.empty() && name[0] != '.' && !is_virtual_env_name(name);
        if (ok) {
            const auto& inside = entries(path);
            ok = std::none_of(inside.begin(), inside.end(),
                              [](const DirEntry& e) { return e.name == "pyvenv.cfg"; });
        }
        if (ok && m_ignored) {
            ok = !m_ignored(path + "/");
        }
        m_enterable.emplace(path, ok);
        return ok;
    }

    void add_file(const std::string& path, EntryType type) {
        if (type == EntryType::file && (!m_ignored || !m_ignored(path))) {
            m_found.insert(path);
        }
    }

    const FileSource& m_files;
    const IgnoredPredicate& m_ignored;
    std::map<std::string, std::vector<DirEntry>> m_lists;
    std::map<std::string, bool> m_enterable;
    std::set<std::pair<std::string, std::size_t>> m_seen;
    std::set<std::string> m_found;
};

}  // namespace

bool match_segment(std::string_view pattern, std::string_view name) {
    // Backtracking over the last '*' only: linear in practice, and never
    // recursive, whatever the pattern.
    std::size_t p = 0;
    std::size_t n = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_n = 0;
    while (n < name.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_n = n;
            continue;
        }
        if (p < pattern.size()) {
            char pc = pattern[p];
            std::size_t next = p + 1;
            bool matched = false;
            if (pc == '?') {
                matched = true;
            } else if (pc == '[') {
                next = match_set(pattern, p, name[n], matched);
                if (next == std::string_view::npos) {
                    next = p + 1;
                    matched = name[n] == '[';
                }
            } else if (pc == '\\' && p + 1 < pattern.size()) {
                matched = name[n] == pattern[p + 1];
                next = p + 2;
            } else {
                matched = name[n] == pc;
            }
            if (matched) {
                p = next;
                ++n;
                continue;
            }
        }
        if (star == std::string_view::npos) {
            return false;
        }
        p = star + 1;
        n = ++star_n;
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

std::vector<std::string> find_model_files(const FileSource& files,
                                          const std::vector<std::string>& globs,
                                          const IgnoredPredicate& ignored) {
    Walker walker(files, ignored);
    for (const std::string& glob : globs) {
        std::vector<std::string> segs = split(glob);
        if (!segs.empty()) {
            walker.next_glob();
            walker.walk("", segs, 0);
        }
    }
    return walker.found();
}

namespace {

// Whether a walk enters a folder of this name when a wildcard reaches it.
bool enterable_name(std::string_view name) {
    return !name.empty() && name[0] != '.' && !is_virtual_env_name(name);
}

bool match_from(const std::vector<std::string>& segs, std::size_t i,
                const std::vector<std::string_view>& parts, std::size_t j) {
    if (i == segs.size()) {
        return j == parts.size();
    }
    bool folder = j + 1 < parts.size();
    if (segs[i] == "**") {
        // Zero or more folders: never the file's own name.
        for (std::size_t k = j; k < parts.size(); ++k) {
            if (match_from(segs, i + 1, parts, k)) {
                return true;
            }
            if (k + 1 >= parts.size() || !enterable_name(parts[k])) {
                return false;
            }
        }
        return false;
    }
    if (folder && has_wildcard(segs[i]) && !enterable_name(parts[j])) {
        return false;
    }
    return j < parts.size() && match_segment(segs[i], parts[j]) &&
           match_from(segs, i + 1, parts, j + 1);
}

}  // namespace

GlobMatcher::GlobMatcher(const std::vector<std::string>& globs) {
    for (const std::string& glob : globs) {
        std::vector<std::string> segs = split(glob);
        if (segs.empty()) {
            continue;
        }
        // The folders a path must pass through, literally: "/models/" for
        // **/models/**/*.py.
        std::vector<std::string> folders;
        for (std::size_t i = 0; i + 1 < segs.size(); ++i) {
            if (segs[i] != "**" && !has_wildcard(segs[i])) {
                folders.push_back("/" + segs[i] + "/");
            }
        }
        m_globs.push_back(std::move(segs));
        m_folders.push_back(std::move(folders));
    }
}

bool GlobMatcher::matches(std::string_view path) const {
    std::string_view name = path.substr(path.rfind('/') + 1);
    // Kept between calls: the index has tens of thousands of paths.
    thread_local std::vector<std::string_view> parts;
    parts.clear();
    for (std::size_t g = 0; g < m_globs.size(); ++g) {
        const auto& segs = m_globs[g];
        // The file's own name and the folders named literally decide most
        // paths: a glob's last segment is never "**".
        if (!match_segment(segs.back(), name)) {
            continue;
        }
        bool passes = true;
        for (const std::string& folder : m_folders[g]) {
            std::string_view bare = std::string_view(folder).substr(1);
            passes = passes && (path.substr(0, bare.size()) == bare ||
                                path.find(folder) != std::string_view::npos);
        }
        if (!passes) {
            continue;
        }
        if (parts.empty()) {
            std::size_t start = 0;
            while (start <= path.size()) {
                std::size_t slash = path.find('/', start);
                parts.push_back(
                    path.substr(start, slash == std::string_view::npos ? slash : slash - start));
                if (slash == std::string_view::npos) {
                    break;
                }
                start = slash + 1;
            }
        }
        if (match_from(segs, 0, parts, 0)) {
            return true;
        }
    }
    return false;
}

bool may_match(const std::vector<std::string>& globs, std::string_view path) {
    return GlobMatcher(globs).matches(path);
}

}  // namespace migcheck::models
