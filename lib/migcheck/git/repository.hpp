#pragma once

#include "migcheck/util/file_source.hpp"

#include <memory>
#include <optional>
#include <string>

struct git_repository;

namespace migcheck::git {

// A git repository opened through libgit2. The only place that includes
// <git2.h>. Reads never change the working tree, the index or refs.
class Repository {
  public:
    // Opens the repository containing `path` (searching upwards as git does).
    // Throws usage_error when there is none, and says what to do when git
    // refuses it for its owner (safe.directory).
    static Repository open(const std::string& path);

    // The absolute working directory, without a trailing slash.
    std::string workdir() const;

    // The files of a commit's tree as a FileSource; `prefix` is the project
    // root relative to the working directory ("" at the top). Throws
    // usage_error when `rev` names no commit.
    std::unique_ptr<FileSource> tree(const std::string& rev, const std::string& prefix) const;

  private:
    explicit Repository(std::shared_ptr<git_repository> repo) : m_repo(std::move(repo)) {}
    std::shared_ptr<git_repository> m_repo;
};

}  // namespace migcheck::git
