#pragma once

#include "migcheck/util/file_source.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace migcheck::models {

// Whether git ignores a path relative to the project root; a folder is asked
// with a trailing '/'. An empty function ignores nothing.
using IgnoredPredicate = std::function<bool(const std::string&)>;

// Whether `name` (one path segment) matches `pattern` (one glob segment):
// `*` is any run of characters, `?` any one, `[abc]`, `[a-z]` and `[!abc]`
// (or `[^abc]`) a set, `\x` the character x. An unclosed `[` is literal.
bool match_segment(std::string_view pattern, std::string_view name);

// The files under the project root that match any of `globs`, sorted and
// without duplicates. Globs are relative to the root (a leading "/" or "./"
// is dropped) and match whole paths segment by segment: `**` as a whole
// segment is zero or more folders, other segments are match_segment()
// patterns. A pattern without '/' therefore matches at the root only.
//
// Folders reached through a wildcard segment (`**`, or one holding `*`, `?`
// or `[`) are skipped when they are hidden (".git", ".venv", ".tox"...),
// virtual environments (`venv`, `site-packages`, or any folder holding
// `pyvenv.cfg`), `node_modules` or `__pycache__`, or links to folders (which
// could loop); a folder named literally in a glob is entered as written.
// Only regular files match. A path for which `ignored` returns true (folders
// are asked as "dir/") is skipped, as git skips it.
std::vector<std::string> find_model_files(const FileSource& files,
                                          const std::vector<std::string>& globs,
                                          const IgnoredPredicate& ignored = {});

// Whether `path` (a file, relative to the root) matches one of `globs` as
// find_model_files() matches, by its segments alone: folders a wildcard
// reaches are skipped by name as the walk skips them (hidden, `venv`,
// `site-packages`, `node_modules`, `__pycache__`), but a folder holding
// pyvenv.cfg, a link or what git ignores is not known from a path, so this
// may say yes where a walk would not look.
bool may_match(const std::vector<std::string>& globs, std::string_view path);

// may_match() for many paths: the globs are split once.
class GlobMatcher {
  public:
    explicit GlobMatcher(const std::vector<std::string>& globs);
    bool matches(std::string_view path) const;

  private:
    std::vector<std::vector<std::string>> m_globs;
    std::vector<std::vector<std::string>> m_folders;  // per glob: "/name/" it must pass
};

}  // namespace migcheck::models
