#pragma once

#include "migcheck/revision/revision.hpp"
#include "migcheck/util/file_source.hpp"

#include <map>
#include <optional>
#include <string>

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

    bool enabled() const { return !m_file.empty(); }

    // The result cached for `path` when its stamp is unchanged.
    const ReadResult* find(const std::string& path, const FileStamp& stamp) const;

    // Remembers a result. Files changed in the last two seconds are not
    // remembered: a later change within the file system's timestamp
    // granularity would leave the stamp equal (git's "racy" files).
    void put(const std::string& path, const FileStamp& stamp, const ReadResult& result);

    // Writes the cache when anything changed, atomically (write, rename);
    // entries for files no longer seen are dropped.
    void save();

  private:
    struct Entry {
        FileStamp stamp;
        ReadResult result;
        bool seen = false;
    };
    std::string m_file;
    std::map<std::string, Entry> m_entries;
    mutable bool m_dirty = false;
    std::int64_t m_now_ns = 0;
};

}  // namespace migcheck::revision
