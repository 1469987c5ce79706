#include "migcheck/revision/cache.hpp"

#include "migcheck/report/encode.hpp"
#include "migcheck/util/binary.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unordered_map>

namespace migcheck::revision {
namespace {

using binary::Reader;
using binary::Writer;
using binary::cache_dir;
using binary::fnv1a;

// Bump when what the reader extracts, or this layout, changes.
//
// Layout: the magic line; the project root; the number of entries and each
// one's offset (u32) from the end of that table, in load order; the entries.
// An entry is its path, its FileStamp and its encoded ReadResult. Lengths
// and counts are u32. The encoded result puts the graph's fields first and
// the text after, so a command that shows no text skips it unread.
constexpr char magic[] = "migcheck-headers 5\n";

enum : std::uint32_t { has_revision = 1, is_data_only = 2 };


void write_stamp(Writer& w, const FileStamp& s) {
    w.u64(s.size);
    w.i64(s.mtime_ns);
    w.i64(s.ctime_ns);
    w.u64(s.inode);
    w.u64(s.device);
}

FileStamp read_stamp(Reader& r) {
    FileStamp s;
    s.size = r.u64();
    s.mtime_ns = r.i64();
    s.ctime_ns = r.i64();
    s.inode = r.u64();
    s.device = r.u64();
    return s;
}

// Whether `r` holds a revision: into `v`, with the text asked for.
bool read_result(Reader& r, HeaderText text, Revision& v, std::vector<Finding>& findings) {
    std::uint32_t flags = r.u32();
    if ((flags & has_revision) != 0) {
        r.str(v.id);
        r.strs(v.down_revisions);
        r.strs(v.branch_labels);
        r.strs(v.depends_on);
        v.line = r.i32();
        v.down_line = r.i32();
        v.labels_line = r.i32();
        v.depends_line = r.i32();
        v.data_only = (flags & is_data_only) != 0;
        for (auto [field, out] : {std::pair{HeaderText::message, &v.message},
                                  std::pair{HeaderText::create_date, &v.create_date},
                                  std::pair{HeaderText::doc, &v.doc}}) {
            if (wants(text, field)) {
                r.str(*out);
            } else {
                r.skip();
            }
        }
    }
    decode_findings(r, findings);
    return (flags & has_revision) != 0;
}

}  // namespace

struct HeaderCache::Index {
    std::once_flag built;
    std::unordered_map<std::string_view, std::size_t> by_path;
};

std::string HeaderCache::encode(const ReadResult& res) {
    Writer w;
    const Revision* v = res.revision ? &*res.revision : nullptr;
    w.u32((v != nullptr ? has_revision : 0U) | (v != nullptr && v->data_only ? is_data_only : 0U));
    if (v != nullptr) {
        w.str(v->id);
        w.strs(v->down_revisions);
        w.strs(v->branch_labels);
        w.strs(v->depends_on);
        for (int n : {v->line, v->down_line, v->labels_line, v->depends_line}) {
            w.i32(n);
        }
        w.str(v->message);
        w.str(v->create_date);
        w.str(v->doc);
    }
    encode_findings(w, res.findings);
    return std::move(w.out());
}

std::optional<bool> HeaderCache::decode(std::string_view bytes, HeaderText text, Revision& rev,
                                        std::vector<Finding>& findings) {
    Reader r(bytes);
    bool has = read_result(r, text, rev, findings);
    if (!r.ok() || !r.done()) {
        return std::nullopt;
    }
    return has;
}

HeaderCache HeaderCache::open(const std::string& root_abs) {
    HeaderCache cache;
    cache.m_now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::string dir = cache_dir();
    if (dir.empty()) {
        return cache;
    }
    char name[32];
    std::snprintf(name, sizeof name, "/%016llx.headers",
                  static_cast<unsigned long long>(fnv1a(root_abs)));
    cache.m_file = dir + name;
    cache.m_root = root_abs;
    int fd = ::open(cache.m_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return cache;
    }
    // Mapped, not read: the pages are the page cache's, so nothing is copied
    // or zeroed, and only what is decoded is touched. The cache is replaced
    // by rename, never rewritten in place, so the mapping stays whole.
    struct stat st {};
    void* addr = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        addr = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ,
                      MAP_PRIVATE | MAP_POPULATE, fd, 0);
    }
    ::close(fd);
    if (addr == MAP_FAILED) {
        return cache;
    }
    auto size = static_cast<std::size_t>(st.st_size);
    cache.m_map = std::shared_ptr<const char>(static_cast<const char*>(addr),
                                              [size](const char* p) {
                                                  ::munmap(const_cast<char*>(p), size);
                                              });
    std::string_view view(cache.m_map.get(), size);
    std::string_view head(magic, sizeof magic - 1);
    if (view.substr(0, head.size()) != head) {
        return cache;
    }
    Reader r(view.substr(head.size()));
    // The file names its root, so a hash collision never mixes projects.
    if (r.view() != root_abs) {
        return cache;
    }
    std::uint32_t count = r.u32();
    if (!r.ok() || count > (view.size() - head.size() - r.pos()) / sizeof(std::uint32_t)) {
        return cache;
    }
    std::string_view rest = view.substr(head.size() + r.pos());
    // Entries are not even sliced here: each is found by its offset and
    // decoded when it is taken, on the thread that asks, and only if its
    // file is still the same.
    cache.m_offsets = rest.substr(0, count * sizeof(std::uint32_t));
    cache.m_data = rest.substr(count * sizeof(std::uint32_t));
    cache.m_count = count;
    cache.m_index = std::make_shared<Index>();
    return cache;
}

std::string_view HeaderCache::entry_at(std::size_t k) const {
    std::uint32_t offset = 0;
    std::memcpy(&offset, m_offsets.data() + k * sizeof offset, sizeof offset);
    if (offset > m_data.size()) {
        return {};
    }
    Reader r(m_data.substr(offset));
    r.skip();
    read_stamp(r);
    r.skip();
    return r.ok() ? m_data.substr(offset, r.pos()) : std::string_view();
}

std::string_view HeaderCache::path_at(std::size_t k) const {
    if (k >= m_count) {
        return {};
    }
    Reader r(entry_at(k));
    return r.view();
}

std::string_view HeaderCache::entry(const std::string& path, std::size_t position) const {
    if (m_count == 0) {
        return {};
    }
    if (position < m_count) {
        std::string_view e = entry_at(position);
        Reader r(e);
        if (r.view() == path) {
            return e;
        }
    }
    // A file added, removed or renamed since the cache was written moves the
    // others: from then on they are found by path.
    std::call_once(m_index->built, [this] {
        m_index->by_path.reserve(m_count);
        for (std::size_t k = 0; k < m_count; ++k) {
            std::string_view e = entry_at(k);
            Reader r(e);
            std::string_view p = r.view();
            if (!e.empty()) {
                m_index->by_path.emplace(p, k);
            }
        }
    });
    auto it = m_index->by_path.find(path);
    return it == m_index->by_path.end() ? std::string_view() : entry_at(it->second);
}

std::optional<bool> HeaderCache::take(const std::string& path, std::size_t position,
                                      const FileStamp& stamp, HeaderText text, Revision& rev,
                                      std::vector<Finding>& findings) const {
    std::string_view e = entry(path, position);
    if (e.empty()) {
        return std::nullopt;
    }
    Reader r(e);
    r.skip();
    if (!(read_stamp(r) == stamp)) {
        return std::nullopt;
    }
    Reader body(r.view());
    std::size_t had = findings.size();
    bool present = read_result(body, text, rev, findings);
    if (!body.ok() || !body.done()) {
        findings.resize(had);
        return std::nullopt;  // a damaged entry: read the file instead
    }
    return present;
}

void HeaderCache::save(const std::vector<std::string>& paths, const std::vector<char>& taken,
                       const std::vector<Fresh>& fresh) const {
    if (!enabled() || (fresh.empty() && m_count == paths.size() &&
                       std::find(taken.begin(), taken.end(), 0) == taken.end())) {
        return;
    }
    constexpr std::int64_t racy_ns = 2'000'000'000;
    auto racy = [&](const FileStamp& stamp) {
        return stamp.mtime_ns > m_now_ns - racy_ns || stamp.ctime_ns > m_now_ns - racy_ns;
    };
    std::string dir = m_file.substr(0, m_file.rfind('/'));
    std::string parent = dir.substr(0, dir.rfind('/'));
    ::mkdir(parent.c_str(), 0700);
    ::mkdir(dir.c_str(), 0700);
    Writer body;
    std::vector<std::uint32_t> offsets;
    offsets.reserve(paths.size());
    auto next_fresh = fresh.begin();
    for (std::size_t i = 0; i < paths.size(); ++i) {
        while (next_fresh != fresh.end() && next_fresh->position < i) {
            ++next_fresh;
        }
        if (next_fresh != fresh.end() && next_fresh->position == i) {
            if (!racy(next_fresh->stamp)) {
                offsets.push_back(static_cast<std::uint32_t>(body.out().size()));
                body.str(paths[i]);
                write_stamp(body, next_fresh->stamp);
                body.str(next_fresh->encoded);
            }
            continue;
        }
        if (i >= taken.size() || taken[i] == 0) {
            continue;
        }
        // Unchanged, so copied as it was.
        std::string_view kept = entry(paths[i], i);
        Reader r(kept);
        r.skip();
        if (kept.empty() || racy(read_stamp(r))) {
            continue;
        }
        offsets.push_back(static_cast<std::uint32_t>(body.out().size()));
        body.out() += kept;
    }
    if (body.out().size() > UINT32_MAX) {
        return;
    }
    Writer w;
    w.out() = magic;
    w.str(m_root);
    w.u32(static_cast<std::uint32_t>(offsets.size()));
    for (std::uint32_t o : offsets) {
        w.u32(o);
    }
    w.out() += body.out();
    // Written aside and renamed over, so a reader never sees half a file and
    // two processes saving at once leave one whole cache.
    std::string tmp = m_file + "." + std::to_string(::getpid()) + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        return;
    }
    bool ok = std::fwrite(w.out().data(), 1, w.out().size(), f) == w.out().size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), m_file.c_str()) != 0) {
        std::remove(tmp.c_str());
    }
}

}  // namespace migcheck::revision
