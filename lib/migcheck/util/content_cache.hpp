#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace migcheck {

// Results derived from content (a parsed schema.yaml, the models' schema, a
// history replayed), stored under a key that names the content itself (blob
// ids), so that a result is found again whichever commit, index or branch
// holds that content. One file per entry in the cache folder
// (binary::cache_dir(), under derived/), written atomically; the oldest are
// removed as the folder grows. Any failure to read or write is ignored: the
// cache only ever saves time. Entries belong to the binary that wrote them.
// Disabled with MIGCHECK_NO_CACHE=1.
class ContentCache {
  public:
    static ContentCache open();

    bool enabled() const { return !m_dir.empty(); }

    // An entry's bytes, mapped from its file: valid while the Entry lives.
    class Entry {
      public:
        Entry(std::shared_ptr<const void> map, std::string_view bytes)
            : m_map(std::move(map)), m_bytes(bytes) {}
        std::string_view view() const { return m_bytes; }
        operator std::string_view() const { return m_bytes; }  // NOLINT: read as bytes

      private:
        std::shared_ptr<const void> m_map;
        std::string_view m_bytes;
    };

    // The bytes stored for (kind, key), or nullopt. Mapped, not copied:
    // entries run to megabytes.
    std::optional<Entry> get(std::string_view kind, std::string_view key) const;
    // Stores the bytes for (kind, key).
    void put(std::string_view kind, std::string_view key, std::string_view bytes) const;

  private:
    // The name of the entry for `key`: a digest of it and of the binary.
    std::string digest_of(std::string_view key) const;
    std::string m_dir;
    std::string m_build;  // names the binary: part of every key
};

}  // namespace migcheck
