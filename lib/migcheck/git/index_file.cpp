// Git's index file, parsed from its bytes. Every read is bounds-checked: a
// truncated or corrupt file is an error naming the file, never a read past
// its end.
//
// The trailing SHA-1 of the whole file is not verified. git itself does not
// need it to read an index (with index.skipHash it writes zeros there, and
// every reader accepts them); hashing 5 MB would cost more than the rest of
// the read. A file cut short still fails: the checks below see it.
#include "migcheck/git/index_file.hpp"

#include "migcheck/util/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace migcheck::git {

namespace {

constexpr std::size_t header_size = 12;
constexpr std::size_t hash_size = 20;
// ctime, mtime (8 each), dev, ino, mode, uid, gid, size (4 each), id, flags.
constexpr std::size_t fixed_size = 62;

constexpr std::uint16_t flag_assume_valid = 0x8000;
constexpr std::uint16_t flag_extended = 0x4000;
constexpr std::uint16_t flag_name_mask = 0x0fff;
constexpr std::uint16_t ext_skip_worktree = 0x4000;
constexpr std::uint16_t ext_intent_to_add = 0x2000;
constexpr std::uint16_t ext_known = ext_skip_worktree | ext_intent_to_add;

std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
           (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

std::uint16_t be16(const unsigned char* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}

std::string rebuild_hint(const std::string& name) {
    return " (git cannot read it either; `rm '" + name +
           "' && git reset` rebuilds it from HEAD, losing what was staged)";
}

// The cache tree (TREE extension): folders in pre-order, each
// "<name>\0<entry count> <subtree count>\n" and, when the count is not -1,
// the tree's 20-byte id; a folder's subtrees follow it. Returns false when
// the data does not parse: git then reads the index without a cache tree,
// and so does this.
bool parse_cache_tree(std::string_view data, std::vector<CacheTreeNode>& out) {
    struct Open {
        std::size_t node;
        std::int64_t remaining;
    };
    std::vector<Open> open;
    std::size_t at = 0;
    auto number = [&](char end, std::int64_t& value) {
        bool negative = at < data.size() && data[at] == '-';
        if (negative) {
            ++at;
        }
        std::size_t digits = 0;
        value = 0;
        while (at < data.size() && data[at] >= '0' && data[at] <= '9' && digits < 10) {
            value = value * 10 + (data[at] - '0');
            ++at;
            ++digits;
        }
        if (digits == 0 || at >= data.size() || data[at] != end) {
            return false;
        }
        ++at;
        value = negative ? -value : value;
        return true;
    };
    while (at < data.size()) {
        std::size_t nul = data.find('\0', at);
        if (nul == std::string_view::npos) {
            return false;
        }
        std::string_view name = data.substr(at, nul - at);
        at = nul + 1;
        std::int64_t count = 0;
        std::int64_t subtrees = 0;
        if (!number(' ', count) || !number('\n', subtrees) || count < -1 || subtrees < 0 ||
            count > INT32_MAX || subtrees > INT32_MAX) {
            return false;
        }
        CacheTreeNode node;
        if (open.empty()) {
            if (!out.empty() || !name.empty()) {
                return false;  // one top folder, named ""
            }
        } else {
            if (name.empty() || name.find('/') != std::string_view::npos) {
                return false;
            }
            const std::string& parent = out[open.back().node].path;
            node.path.reserve(parent.size() + 1 + name.size());
            node.path = parent;
            if (!node.path.empty()) {
                node.path += '/';
            }
            node.path += name;
            --open.back().remaining;
        }
        node.entry_count = static_cast<std::int32_t>(count);
        node.subtrees = static_cast<std::int32_t>(subtrees);
        if (count >= 0) {
            if (data.size() - at < hash_size) {
                return false;
            }
            ObjectId id;
            std::memcpy(id.bytes.data(), data.data() + at, hash_size);
            node.id = id;
            at += hash_size;
        }
        out.push_back(std::move(node));
        if (subtrees > 0) {
            open.push_back(Open{out.size() - 1, subtrees});
        }
        while (!open.empty() && open.back().remaining == 0) {
            open.pop_back();
        }
    }
    if (!open.empty()) {
        return false;
    }
    std::sort(out.begin(), out.end(),
              [](const CacheTreeNode& a, const CacheTreeNode& b) { return a.path < b.path; });
    return true;
}

}  // namespace

class IndexParser {
  public:
    IndexParser(std::string_view bytes, const std::string& name)
        : m_data(reinterpret_cast<const unsigned char*>(bytes.data())), m_size(bytes.size()),
          m_name(name) {}

    void run(IndexFile& out) {
        if (m_size < header_size + hash_size) {
            fail("too short to be an index (" + std::to_string(m_size) + " bytes)");
        }
        if (std::memcmp(m_data, "DIRC", 4) != 0) {
            throw runtime_error(m_name + ": not a git index: it does not begin with DIRC");
        }
        std::uint32_t version = be32(m_data + 4);
        if (version < 2 || version > 4) {
            out.m_unsupported = "index version " + std::to_string(version);
            return;
        }
        out.m_version = version;
        std::uint32_t count = be32(m_data + 8);
        // Every entry takes at least its fixed part and a byte of path: a
        // count the file cannot hold is corruption, not an allocation.
        m_end = m_size - hash_size;
        if (count > (m_end - header_size) / (fixed_size + 1)) {
            fail("it claims " + std::to_string(count) + " entries, more than its " +
                 std::to_string(m_size) + " bytes can hold");
        }
        out.m_entries.resize(count);
        std::size_t at = header_size;
        if (version == 4) {
            at = entries_v4(out, at);
        } else {
            at = entries_v2(out, at);
        }
        if (out.m_unsupported.empty()) {
            extensions(out, at);
        }
        if (!out.m_unsupported.empty()) {
            out.m_entries.clear();
            out.m_tree.clear();
            return;
        }
        // An empty path is a split index's replacement of a shared entry:
        // known only once its link extension is seen.
        if (m_empty_path != 0) {
            fail("entry " + std::to_string(m_empty_path) + " has an empty path");
        }
        check_order(out.m_entries);
    }

  private:
    [[noreturn]] void fail(const std::string& why) const {
        throw runtime_error(m_name + ": the index is truncated or corrupt: " + why +
                            rebuild_hint(m_name));
    }

    [[noreturn]] void past_end(std::size_t k, std::size_t count) const {
        fail("entry " + std::to_string(k + 1) + " of " + std::to_string(count) +
             " runs past the end");
    }

    // The fixed part of the entry at `at` (bounds checked by the caller);
    // returns its size with the extended flags, and the name length field.
    std::size_t fixed(const unsigned char* p, IndexEntry& e, std::uint16_t& name_length,
                      std::size_t k, std::size_t count, std::size_t room) const {
        e.stat.ctime_sec = be32(p);
        e.stat.ctime_nsec = be32(p + 4);
        e.stat.mtime_sec = be32(p + 8);
        e.stat.mtime_nsec = be32(p + 12);
        e.stat.dev = be32(p + 16);
        e.stat.ino = be32(p + 20);
        e.mode = be32(p + 24);
        e.stat.uid = be32(p + 28);
        e.stat.gid = be32(p + 32);
        e.stat.size = be32(p + 36);
        std::memcpy(e.id.bytes.data(), p + 40, hash_size);
        std::uint16_t flags = be16(p + 60);
        e.assume_valid = (flags & flag_assume_valid) != 0;
        e.stage = static_cast<std::uint8_t>((flags >> 12) & 3);
        name_length = flags & flag_name_mask;
        std::size_t size = fixed_size;
        if ((flags & flag_extended) != 0) {
            // Written in version 3 and later; git reads them in any version.
            if (room < fixed_size + 2) {
                past_end(k, count);
            }
            std::uint16_t ext = be16(p + 62);
            if ((ext & ~ext_known) != 0) {
                fail("entry " + std::to_string(k + 1) + " has unknown extended flags");
            }
            e.skip_worktree = (ext & ext_skip_worktree) != 0;
            e.intent_to_add = (ext & ext_intent_to_add) != 0;
            size += 2;
        }
        return size;
    }

    bool unsupported_mode(IndexFile& out, const IndexEntry& e) const {
        if ((e.mode & 0170000U) == 0040000U) {
            out.m_unsupported = "a sparse index (folder entries)";
            return true;
        }
        return false;
    }

    // Versions 2 and 3: each path whole, NUL-terminated, and the entry
    // padded with 1-8 NULs to a multiple of 8 bytes.
    std::size_t entries_v2(IndexFile& out, std::size_t at) {
        std::size_t count = out.m_entries.size();
        for (std::size_t k = 0; k < count; ++k) {
            IndexEntry& e = out.m_entries[k];
            std::size_t room = m_end - at;
            if (room < fixed_size + 1) {
                past_end(k, count);
            }
            const unsigned char* p = m_data + at;
            std::uint16_t name_length = 0;
            std::size_t head = fixed(p, e, name_length, k, count, room);
            const char* name = reinterpret_cast<const char*>(p + head);
            std::size_t length = name_length;
            if (name_length == flag_name_mask) {
                // 0xFFF: the path is longer; its NUL ends it.
                const void* nul = std::memchr(name, '\0', room - head);
                if (nul == nullptr) {
                    past_end(k, count);
                }
                length = static_cast<std::size_t>(static_cast<const char*>(nul) - name);
            }
            std::size_t size = (head + length + 8) & ~std::size_t{7};
            if (size > room) {
                past_end(k, count);
            }
            if (name[length] != '\0') {
                fail("entry " + std::to_string(k + 1) + " has a malformed path");
            }
            if (length == 0 && m_empty_path == 0) {
                m_empty_path = k + 1;
            }
            e.path = std::string_view(name, length);
            if (unsupported_mode(out, e)) {
                return at;
            }
            at += size;
        }
        return at;
    }

    // Version 4: each path as the number of bytes to drop from the end of
    // the previous one (git's varint), then the bytes to append up to a NUL;
    // no padding.
    std::size_t entries_v4(IndexFile& out, std::size_t at) {
        std::size_t count = out.m_entries.size();
        std::vector<char>& arena = out.m_paths;
        arena.reserve(std::min<std::size_t>(m_size * 4, count * 64));
        std::vector<std::pair<std::size_t, std::size_t>> spans(count);
        std::size_t previous_start = 0;
        std::size_t previous_length = 0;
        for (std::size_t k = 0; k < count; ++k) {
            IndexEntry& e = out.m_entries[k];
            std::size_t room = m_end - at;
            if (room < fixed_size + 2) {
                past_end(k, count);
            }
            const unsigned char* p = m_data + at;
            std::uint16_t name_length = 0;
            std::size_t head = fixed(p, e, name_length, k, count, room);
            std::size_t i = head;
            // git's varint: 7 bits a byte, high bit set on all but the last,
            // each continuation adding one.
            std::uint64_t drop = 0;
            for (int bytes = 0;; ++bytes) {
                if (i >= room || bytes > 9) {
                    past_end(k, count);
                }
                unsigned char c = p[i++];
                drop = (drop << 7) | (c & 0x7f);
                if ((c & 0x80) == 0) {
                    break;
                }
                ++drop;
            }
            if (drop > previous_length) {
                fail("entry " + std::to_string(k + 1) + " drops more of the previous path than "
                     "it has");
            }
            const void* nul = std::memchr(p + i, '\0', room - i);
            if (nul == nullptr) {
                past_end(k, count);
            }
            std::size_t suffix =
                static_cast<std::size_t>(static_cast<const unsigned char*>(nul) - (p + i));
            std::size_t keep = previous_length - static_cast<std::size_t>(drop);
            std::size_t start = arena.size();
            // Copy the kept part first: the arena may move as it grows.
            arena.resize(start + keep + suffix);
            std::memmove(arena.data() + start, arena.data() + previous_start, keep);
            std::memcpy(arena.data() + start + keep, p + i, suffix);
            if (keep + suffix == 0 && m_empty_path == 0) {
                m_empty_path = k + 1;
            }
            spans[k] = {start, keep + suffix};
            previous_start = start;
            previous_length = keep + suffix;
            at += i + suffix + 1;
        }
        for (std::size_t k = 0; k < count; ++k) {
            out.m_entries[k].path = std::string_view(arena.data() + spans[k].first,
                                                     spans[k].second);
            if (unsupported_mode(out, out.m_entries[k])) {
                return at;
            }
        }
        return at;
    }

    // Entries must be sorted by path, then stage, each once: git refuses
    // an index that is not ("unordered stage entries"), and lookups here
    // search it by halves.
    void check_order(const std::vector<IndexEntry>& entries) const {
        for (std::size_t k = 1; k < entries.size(); ++k) {
            const IndexEntry& a = entries[k - 1];
            const IndexEntry& b = entries[k];
            int c = a.path.compare(b.path);
            if (c > 0 || (c == 0 && a.stage >= b.stage)) {
                fail("entries out of order at " + std::string(b.path));
            }
        }
    }

    // Extensions: a 4-byte signature, a 4-byte size, the data. Those whose
    // signature begins with an upper-case letter are optional (git skips
    // the ones it does not know); the others change how the index must be
    // read (link: a split index; sdir: a sparse one).
    void extensions(IndexFile& out, std::size_t at) const {
        while (at < m_end) {
            if (m_end - at < 8) {
                fail("an extension's header runs past the end");
            }
            std::string signature(reinterpret_cast<const char*>(m_data + at), 4);
            std::size_t size = be32(m_data + at + 4);
            at += 8;
            if (size > m_end - at) {
                fail("extension " + signature + " runs past the end");
            }
            std::string_view data(reinterpret_cast<const char*>(m_data + at), size);
            at += size;
            if (signature == "TREE") {
                if (!parse_cache_tree(data, out.m_tree)) {
                    out.m_tree.clear();
                }
            } else if (signature[0] < 'A' || signature[0] > 'Z') {
                out.m_unsupported = signature == "link"   ? "a split index (link extension)"
                                    : signature == "sdir" ? "a sparse index (sdir extension)"
                                                          : "extension " + signature;
                return;
            }
        }
    }

    const unsigned char* m_data;
    std::size_t m_size;
    std::size_t m_end = 0;         // where the trailing hash begins
    std::size_t m_empty_path = 0;  // the first entry with an empty path, from 1
    const std::string& m_name;
};

IndexFile IndexFile::parse(std::shared_ptr<const void> owner, std::string_view bytes,
                           const std::string& name) {
    IndexFile out;
    out.m_owner = std::move(owner);
    IndexParser(bytes, name).run(out);
    return out;
}

IndexFile IndexFile::parse(std::string bytes, const std::string& name) {
    auto owned = std::make_shared<const std::string>(std::move(bytes));
    std::string_view view = *owned;
    return parse(std::move(owned), view, name);
}

IndexFile IndexFile::read(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return IndexFile();  // no index yet: nothing staged
        }
        throw runtime_error(path + ": cannot read the index: " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int err = errno;
        ::close(fd);
        throw runtime_error(path + ": cannot read the index: " + std::strerror(err));
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw runtime_error(path + ": cannot read the index: it is a directory");
    }
    auto size = static_cast<std::size_t>(st.st_size);
    if (size == 0) {
        ::close(fd);
        return parse(std::string(), path);  // too short: says so
    }
    // Mapped, not read: git writes a new index and renames it over the old
    // one, never rewriting a file in place, so the mapping stays whole
    // while the command runs.
    void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    int err = errno;
    ::close(fd);
    if (addr == MAP_FAILED) {
        throw runtime_error(path + ": cannot read the index: " + std::strerror(err));
    }
    std::shared_ptr<const void> mapping(addr, [size](const void* p) {
        ::munmap(const_cast<void*>(p), size);
    });
    return parse(std::move(mapping), std::string_view(static_cast<const char*>(addr), size), path);
}

IndexFile IndexFile::from_entries(std::vector<IndexEntry> entries) {
    IndexFile out;
    out.m_version = 2;
    std::sort(entries.begin(), entries.end(), [](const IndexEntry& a, const IndexEntry& b) {
        int c = a.path.compare(b.path);
        return c < 0 || (c == 0 && a.stage < b.stage);
    });
    std::size_t total = 0;
    for (const auto& e : entries) {
        total += e.path.size();
    }
    out.m_paths.resize(total);
    std::size_t at = 0;
    for (auto& e : entries) {
        std::memcpy(out.m_paths.data() + at, e.path.data(), e.path.size());
        e.path = std::string_view(out.m_paths.data() + at, e.path.size());
        at += e.path.size();
    }
    out.m_entries = std::move(entries);
    return out;
}

std::size_t IndexFile::lower_bound(std::string_view path) const {
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), path,
                               [](const IndexEntry& e, std::string_view p) { return e.path < p; });
    return static_cast<std::size_t>(it - m_entries.begin());
}

std::pair<std::size_t, std::size_t> IndexFile::prefixed(std::string_view prefix) const {
    std::size_t first = lower_bound(prefix);
    auto it = std::partition_point(
        m_entries.begin() + static_cast<std::ptrdiff_t>(first), m_entries.end(),
        [&](const IndexEntry& e) { return e.path.substr(0, prefix.size()) == prefix; });
    return {first, static_cast<std::size_t>(it - m_entries.begin())};
}

const CacheTreeNode* IndexFile::cache_tree(std::string_view dir) const {
    auto it = std::lower_bound(m_tree.begin(), m_tree.end(), dir,
                               [](const CacheTreeNode& n, std::string_view d) {
                                   return std::string_view(n.path) < d;
                               });
    return it != m_tree.end() && it->path == dir ? &*it : nullptr;
}

}  // namespace migcheck::git
