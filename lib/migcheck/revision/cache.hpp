#pragma once

#include "migcheck/revision/revision.hpp"
#include "migcheck/util/file_source.hpp"

#include <unordered_map>
#include <vector>
#include <optional>
#include <string>
#include <string_view>

namespace migcheck::revision {

// Revision headers read earlier, keyed by path and FileStamp, so that an
// unchanged file is not read or parsed again: what Python's bytecode cache is
// to Alembic. It lives outside the project, in
// ${MIGCHECK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/migcheck}, one file
// per project root; MIGCHECK_NO_CACHE=1 turns it off. A damaged, foreign or
// older-format cache file is ignored. Any failure to write it is ignored too:
// the cache only ever saves time.
class HeaderCache {
  public:
    // The cache of the project at `root_abs`; disabled when no cache
    // directory can be named.
    static HeaderCache open(const std::string& root_abs);

    HeaderCache() = default;
    // Keys are views into the loaded file, which a move keeps in place and a
    // copy would not.
    HeaderCache(const HeaderCache&) = delete;
    HeaderCache& operator=(const HeaderCache&) = delete;
    HeaderCache(HeaderCache&&) = default;
    HeaderCache& operator=(HeaderCache&&) = default;

    bool enabled() const { return !m_file.empty(); }

    // Decodes the result cached for `path` when its stamp is unchanged.
    // `position` is the file's place in load order: the cache is written in
    // that order, so the entry there is tried first, without hashing. Call
    // index() once before taking from several threads.
    std::optional<ReadResult> take(const std::string& path, std::size_t position,
                                   const FileStamp& stamp) const;

    // Prepares lookups for these files: when the cache holds them in the
    // same order (the usual case), nothing; otherwise a by-path index.
    void index(const std::vector<std::string>& paths);

    // Writes the cache for exactly these files, atomically (write, rename),
    // when it differs from what was read: a file new or changed since, or one
    // gone. Files changed in the last two seconds are left out: a later change
    // within the file system's timestamp granularity would leave the stamp
    // equal (git's "racy" files).
    void save(const std::vector<std::string>& paths,
              const std::vector<std::optional<FileStamp>>& stamps,
              const std::vector<ReadResult>& results, std::size_t hits);

  private:
    struct Entry {
        std::string_view path;     // in m_data
        FileStamp stamp;
        std::string_view encoded;  // the ReadResult, in m_data
    };
    std::string m_file;
    std::string m_root;
    std::string m_data;           // the cache file; entries point into it
    std::vector<Entry> m_entries;  // in the order written: load order
    std::unordered_map<std::string_view, std::size_t> m_by_path;
    std::int64_t m_now_ns = 0;
};

}  // namespace migcheck::revision
