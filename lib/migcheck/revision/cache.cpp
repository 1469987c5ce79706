#include "migcheck/revision/cache.hpp"

#include "migcheck/util/text.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace migcheck::revision {
namespace {

// Bump when what the reader extracts, or this layout, changes.
constexpr char magic[] = "migcheck-headers 4\n";

class Writer {
  public:
    void u64(std::uint64_t v) { m_out.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
    void str(const std::string& s) {
        u64(s.size());
        m_out += s;
    }
    void strs(const std::vector<std::string>& v) {
        u64(v.size());
        for (const auto& s : v) {
            str(s);
        }
    }
    std::string& out() { return m_out; }

  private:
    std::string m_out;
};

class Reader {
  public:
    explicit Reader(std::string_view in) : m_in(in) {}
    bool ok() const { return m_ok; }
    bool done() const { return m_pos == m_in.size(); }
    std::uint64_t u64() {
        std::uint64_t v = 0;
        if (m_pos + sizeof v > m_in.size()) {
            m_ok = false;
            return 0;
        }
        std::memcpy(&v, m_in.data() + m_pos, sizeof v);
        m_pos += sizeof v;
        return v;
    }
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
    int i32() { return static_cast<int>(i64()); }
    std::string_view view() {
        std::uint64_t n = u64();
        if (!m_ok || n > m_in.size() - m_pos) {
            m_ok = false;
            return {};
        }
        std::string_view s = m_in.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    std::string str() { return std::string(view()); }
    std::vector<std::string> strs() {
        std::uint64_t n = u64();
        std::vector<std::string> v;
        for (std::uint64_t i = 0; i < n && m_ok; ++i) {
            v.push_back(str());
        }
        return v;
    }

  private:
    std::string_view m_in;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

std::string cache_dir() {
    if (const char* off = std::getenv("MIGCHECK_NO_CACHE"); off != nullptr && *off != '\0' &&
                                                            std::string(off) != "0") {
        return {};
    }
    if (const char* dir = std::getenv("MIGCHECK_CACHE_DIR"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
        return std::string(xdg) + "/migcheck";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
        return std::string(home) + "/.cache/migcheck";
    }
    return {};
}

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

void write_result(Writer& w, const ReadResult& res) {
    w.u64(res.revision ? 1 : 0);
    if (res.revision) {
        const Revision& v = *res.revision;
        w.str(v.id);
        w.strs(v.down_revisions);
        w.strs(v.branch_labels);
        w.strs(v.depends_on);
        w.str(v.doc);
        w.str(v.message);
        w.str(v.create_date);
        w.str(v.path);
        for (int n : {v.line, v.down_line, v.labels_line, v.depends_line, v.data_only ? 1 : 0}) {
            w.i64(n);
        }
    }
    w.u64(res.findings.size());
    for (const auto& f : res.findings) {
        w.i64(static_cast<int>(f.severity));
        w.str(f.code);
        w.str(f.file);
        w.i64(f.line);
        w.i64(f.column);
        w.str(f.message);
    }
}

ReadResult read_result(Reader& r) {
    ReadResult res;
    if (r.u64() == 1) {
        Revision v;
        v.id = r.str();
        v.down_revisions = r.strs();
        v.branch_labels = r.strs();
        v.depends_on = r.strs();
        v.doc = r.str();
        v.message = r.str();
        v.create_date = r.str();
        v.path = r.str();
        v.line = r.i32();
        v.down_line = r.i32();
        v.labels_line = r.i32();
        v.depends_line = r.i32();
        v.data_only = r.i32() != 0;
        res.revision = std::move(v);
    }
    std::uint64_t n = r.u64();
    for (std::uint64_t i = 0; i < n && r.ok(); ++i) {
        Finding f;
        f.severity = static_cast<Severity>(r.i32());
        f.code = r.str();
        f.file = r.str();
        f.line = r.i32();
        f.column = r.i32();
        f.message = r.str();
        res.findings.push_back(std::move(f));
    }
    return res;
}

}  // namespace

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
    std::FILE* f = std::fopen(cache.m_file.c_str(), "rb");
    if (f == nullptr) {
        return cache;
    }
    std::string& data = cache.m_data;
    struct stat st {};
    if (::fstat(::fileno(f), &st) == 0 && st.st_size > 0) {
        data.resize(static_cast<std::size_t>(st.st_size));
        data.resize(std::fread(data.data(), 1, data.size(), f));
    }
    std::fclose(f);
    std::string_view view(data);
    std::string_view head(magic, sizeof magic - 1);
    if (view.substr(0, head.size()) != head) {
        return cache;
    }
    Reader r(view.substr(head.size()));
    // The file names its root, so a hash collision never mixes projects.
    if (r.str() != root_abs) {
        return cache;
    }
    // Entries are only sliced here; each is decoded when it is taken, on the
    // thread that asks, and only if its file is still the same.
    std::vector<Entry> entries;
    while (r.ok() && !r.done()) {
        std::string_view path = r.view();
        FileStamp stamp = read_stamp(r);
        std::string_view encoded = r.view();
        if (r.ok()) {
            entries.push_back(Entry{path, stamp, encoded});
        }
    }
    if (r.ok()) {
        cache.m_entries = std::move(entries);
    }
    return cache;
}

void HeaderCache::index(const std::vector<std::string>& paths) {
    bool same_order = m_entries.size() == paths.size();
    for (std::size_t i = 0; same_order && i < paths.size(); ++i) {
        same_order = m_entries[i].path == paths[i];
    }
    if (same_order) {
        return;
    }
    m_by_path.reserve(m_entries.size());
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        m_by_path.emplace(m_entries[i].path, i);
    }
}

std::optional<ReadResult> HeaderCache::take(const std::string& path, std::size_t position,
                                            const FileStamp& stamp) const {
    const Entry* entry = nullptr;
    if (position < m_entries.size() && m_entries[position].path == path) {
        entry = &m_entries[position];
    } else if (auto it = m_by_path.find(path); it != m_by_path.end()) {
        entry = &m_entries[it->second];
    }
    if (entry == nullptr || !(entry->stamp == stamp)) {
        return std::nullopt;
    }
    Reader r(entry->encoded);
    ReadResult result = read_result(r);
    if (!r.ok() || !r.done()) {
        return std::nullopt;  // a damaged entry: read the file instead
    }
    return result;
}

void HeaderCache::save(const std::vector<std::string>& paths,
                       const std::vector<std::optional<FileStamp>>& stamps,
                       const std::vector<ReadResult>& results, std::size_t hits) {
    if (!enabled() || (hits == paths.size() && m_entries.size() == paths.size())) {
        return;
    }
    constexpr std::int64_t racy_ns = 2'000'000'000;
    std::string dir = m_file.substr(0, m_file.rfind('/'));
    std::string parent = dir.substr(0, dir.rfind('/'));
    ::mkdir(parent.c_str(), 0700);
    ::mkdir(dir.c_str(), 0700);
    Writer w;
    w.out() = magic;
    w.str(m_root);
    for (std::size_t i = 0; i < paths.size(); ++i) {
        const auto& stamp = stamps[i];
        if (!stamp || stamp->mtime_ns > m_now_ns - racy_ns || stamp->ctime_ns > m_now_ns - racy_ns) {
            continue;
        }
        w.str(paths[i]);
        write_stamp(w, *stamp);
        Writer entry;
        write_result(entry, results[i]);
        w.str(entry.out());
    }
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
