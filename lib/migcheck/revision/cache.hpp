#pragma once

#include "migcheck/revision/revision.hpp"
#include "migcheck/util/file_source.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

    bool enabled() const { return !m_file.empty(); }

    // The files the cache holds, in the load order of the run that wrote it;
    // a damaged entry's path is "".
    std::size_t size() const { return m_count; }
    std::string_view path_at(std::size_t k) const;

    // Decodes the result cached for `path` when its stamp is unchanged:
    // fills `rev` (only the text in `text`; Revision::path is left as it
    // is) and appends the file's findings to `findings`, and says whether
    // the file holds a revision. nullopt, with both left unspecified, on a
    // miss.
    // `position` is the file's place in load order: the cache is written in
    // that order, so the entry there is tried first, without hashing. Safe to
    // call from several threads at once.
    std::optional<bool> take(const std::string& path, std::size_t position, const FileStamp& stamp,
                             HeaderText text, Revision& rev, std::vector<Finding>& findings) const;

    // The entry save() writes for a file read afresh.
    static std::string encode(const ReadResult& result);
    // encode()'s bytes read back, as take() reads them: whether the file
    // holds a revision (into `rev`, with the text asked for; Revision::path
    // is left as it is), its findings appended. nullopt when they do not
    // decode.
    static std::optional<bool> decode(std::string_view bytes, HeaderText text, Revision& rev,
                                      std::vector<Finding>& findings);

    // A file read afresh: its place in load order, its stamp, and encode()
    // of what was read.
    struct Fresh {
        std::size_t position;
        FileStamp stamp;
        std::string encoded;
    };

    // Writes the cache for exactly these files, atomically (write, rename),
    // when it differs from what was read: a file new or changed since, or one
    // gone. `taken[i]` says file i was taken from the cache: it is copied as
    // it is. `fresh` holds the files read afresh, by position. Any other file
    // had no stamp and is left out. Files changed in the last two seconds are
    // left out too: a later change within the file system's timestamp
    // granularity would leave the stamp equal (git's "racy" files).
    void save(const std::vector<std::string>& paths, const std::vector<char>& taken,
              const std::vector<Fresh>& fresh) const;

  private:
    struct Index;
    // The entry for `path`, or an empty view.
    std::string_view entry(const std::string& path, std::size_t position) const;
    std::string_view entry_at(std::size_t k) const;

    std::string m_file;
    std::string m_root;
    std::shared_ptr<const char> m_map;  // the cache file, mapped; entries point into it
    std::string_view m_data;            // what follows the header
    std::string_view m_offsets;         // one u32 per entry, into m_data, in load order
    std::size_t m_count = 0;
    std::shared_ptr<Index> m_index;     // by path, built at the first entry out of place
    std::int64_t m_now_ns = 0;
};

}  // namespace migcheck::revision
