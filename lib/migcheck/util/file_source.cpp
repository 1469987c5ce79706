#include "migcheck/util/file_source.hpp"

#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <map>
#include <mutex>
#include <string_view>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace migcheck {

namespace {

// Whether normalize_path() would give `p` back: no empty, "." or ".."
// segment, and no trailing '/'. Most paths are, and are returned at once.
bool is_normal(std::string_view p) {
    std::size_t start = !p.empty() && p[0] == '/' ? 1 : 0;
    if (start == p.size()) {
        return p.empty();
    }
    while (true) {
        std::size_t slash = p.find('/', start);
        std::string_view part = p.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (part.empty() || part == "." || part == "..") {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        start = slash + 1;
    }
}

}  // namespace

std::string normalize_path(const std::string& p) {
    if (is_normal(p)) {
        return p;
    }
    bool absolute = !p.empty() && p[0] == '/';
    std::vector<std::string> parts;
    for (auto& part : text::split(p, '/')) {
        if (part.empty() || part == ".") {
            continue;
        }
        if (part == ".." && !parts.empty() && parts.back() != "..") {
            parts.pop_back();
            continue;
        }
        if (part == ".." && absolute) {
            continue;
        }
        parts.push_back(part);
    }
    std::string out = text::join(parts, "/");
    return absolute ? "/" + out : out;
}

std::string join_path(const std::string& a, const std::string& b) {
    if (!b.empty() && b[0] == '/') {
        return normalize_path(b);
    }
    if (a.empty()) {
        return normalize_path(b);
    }
    return normalize_path(a + "/" + b);
}

namespace {

// Reads an open file to its end and closes it; `path` is for messages.
std::string read_fd(int fd, const std::string& path) {
    std::string data;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw runtime_error(path + ": is a directory, not a file");
    }
    if (st.st_size > 0) {
        // A byte more than the file holds: the read that finds its end then
        // needs no larger buffer.
        data.resize(static_cast<std::size_t>(st.st_size) + 1);
    }
    std::size_t used = 0;
    for (;;) {
        if (used == data.size()) {
            data.resize(data.size() < 4096 ? 4096 : data.size() * 2);
        }
        ssize_t n = ::read(fd, data.data() + used, data.size() - used);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            int e = errno;
            ::close(fd);
            throw runtime_error(path + ": cannot read: " + std::strerror(e));
        }
        if (n == 0) {
            break;
        }
        used += static_cast<std::size_t>(n);
    }
    ::close(fd);
    data.resize(used);
    return data;
}

}  // namespace

std::optional<std::string> read_disk_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
        throw runtime_error(path + ": cannot open: " + std::strerror(errno));
    }
    return read_fd(fd, path);
}

namespace {

// A folder's entries, read at once: names one after another in one string,
// not a string each.
struct Listing {
    struct Item {
        std::uint64_t prefix;  // the name's first eight bytes, big-endian
        std::uint32_t offset;
        std::uint32_t size;
        EntryType type;
        std::uint32_t target;  // into `targets`, for links
    };
    std::string names;
    std::vector<Item> items;
    std::vector<std::string> targets{std::string()};  // [0]: none

    std::string_view name(const Item& it) const { return {names.data() + it.offset, it.size}; }
    std::string_view target(const Item& it) const { return targets[it.target]; }

    // Name order. A version folder holds thousands of names that mostly
    // differ in their first bytes (revision ids), so the sort runs on the
    // first eight bytes as a number, which orders as the bytes do, and
    // compares whole names only on a tie.
    void sort() {
        std::sort(items.begin(), items.end(), [this](const Item& a, const Item& b) {
            if (a.prefix != b.prefix) {
                return a.prefix < b.prefix;
            }
            return name(a) < name(b);
        });
    }
};

std::uint64_t next_serial() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
}

class DiskSource : public FileSource {
  public:
    explicit DiskSource(std::string root) : m_root(std::move(root)) {}
    ~DiskSource() override {
        for (auto& [dir, fd] : m_dirs) {
            if (fd >= 0) {
                ::close(fd);
            }
        }
    }
    DiskSource(const DiskSource&) = delete;
    DiskSource& operator=(const DiskSource&) = delete;

    std::string full(const std::string& rel) const {
        if (!rel.empty() && rel[0] == '/') {
            return rel;
        }
        return rel.empty() ? m_root : m_root + "/" + rel;
    }

    std::optional<std::vector<DirEntry>> list(const std::string& dir) const override {
        Listing l;
        if (!read_dir(dir, l)) {
            return std::nullopt;
        }
        std::vector<DirEntry> out;
        out.reserve(l.items.size());
        for (const auto& it : l.items) {
            out.push_back(DirEntry{std::string(l.name(it)), it.type, std::string(l.target(it))});
        }
        return out;
    }

    bool visit(const std::string& dir,
               const std::function<void(const DirEntryView&)>& each) const override {
        Listing l;
        if (!read_dir(dir, l)) {
            return false;
        }
        for (const auto& it : l.items) {
            each(DirEntryView{l.name(it), it.type, l.target(it)});
        }
        return true;
    }

    std::optional<std::string> read(const std::string& path) const override {
        std::size_t slash = path.rfind('/');
        std::string dir = slash == std::string::npos ? std::string() : path.substr(0, slash);
        std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
        if (slash == 0) {
            dir = "/";
        }
        int dfd = dir_fd(dir);
        if (dfd < 0) {
            return std::nullopt;
        }
        // Opening relative to the folder's descriptor spares the kernel the
        // walk down the whole path for every file. O_NONBLOCK keeps a FIFO
        // from blocking the open.
        int fd = ::openat(dfd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            if (errno == ENOENT) {
                return std::nullopt;
            }
            throw runtime_error(full(path) + ": cannot open: " + std::strerror(errno));
        }
        return read_fd(fd, full(path));
    }

    std::string description() const override { return "the working tree"; }

    std::optional<FileStamp> stamp(const std::string& path) const override {
        // memrchr, where rfind steps back one byte at a time: thousands of
        // calls with long file names.
        const void* last = ::memrchr(path.data(), '/', path.size());
        std::size_t slash = last == nullptr
                                ? std::string::npos
                                : static_cast<std::size_t>(static_cast<const char*>(last) - path.data());
        std::string_view dir =
            slash == std::string::npos ? std::string_view() : std::string_view(path).substr(0, slash);
        const char* name = slash == std::string::npos ? path.c_str() : path.c_str() + slash + 1;
        int dfd = dir_fd(slash == 0 ? std::string_view("/") : dir);
        struct stat st {};
        if (dfd < 0 || ::fstatat(dfd, name, &st, 0) != 0 || !S_ISREG(st.st_mode)) {
            return std::nullopt;
        }
        auto ns = [](const timespec& t) {
            return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec;
        };
        return FileStamp{static_cast<std::uint64_t>(st.st_size), ns(st.st_mtim), ns(st.st_ctim),
                         static_cast<std::uint64_t>(st.st_ino),
                         static_cast<std::uint64_t>(st.st_dev)};
    }

  private:
    // The entries of `dir` in name order; false when it does not exist.
    bool read_dir(const std::string& dir, Listing& out) const {
        int dfd = dir_fd(dir);
        if (dfd < 0) {
            return false;
        }
        // fdopendir takes ownership, so it gets its own descriptor.
        int own = ::openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR* d = own < 0 ? nullptr : ::fdopendir(own);
        if (d == nullptr) {
            throw runtime_error(full(dir) + ": cannot list directory: " + std::strerror(errno));
        }
        // Room for every entry the folder's size allows (each takes at least
        // 12 bytes in ext4, 20 in tmpfs's count): pages never used are never
        // touched, and nothing is copied as the lists grow.
        struct stat dst {};
        if (::fstat(dfd, &dst) == 0 && dst.st_size > 0) {
            auto most = std::min<std::size_t>(static_cast<std::size_t>(dst.st_size) / 12 + 8,
                                              std::size_t{1} << 20);
            out.items.reserve(most);
            out.names.reserve(most * 24);
        }
        while (dirent* e = ::readdir(d)) {
            std::string_view name = e->d_name;
            if (name == "." || name == "..") {
                continue;
            }
            unsigned char type = e->d_type;
            if (type == DT_UNKNOWN) {
                struct stat lst {};
                if (::fstatat(dfd, e->d_name, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
                    continue;
                }
                type = S_ISLNK(lst.st_mode)   ? DT_LNK
                       : S_ISDIR(lst.st_mode) ? DT_DIR
                       : S_ISREG(lst.st_mode) ? DT_REG
                                              : DT_UNKNOWN;
            }
            Listing::Item item{0, static_cast<std::uint32_t>(out.names.size()),
                               static_cast<std::uint32_t>(name.size()), EntryType::other, 0};
            for (std::size_t k = 0; k < 8; ++k) {
                item.prefix = (item.prefix << 8) |
                              (k < name.size() ? static_cast<unsigned char>(name[k]) : 0U);
            }
            out.names += name;
            if (type == DT_LNK) {
                char buf[4096];
                ssize_t n = ::readlinkat(dfd, e->d_name, buf, sizeof buf - 1);
                item.target = static_cast<std::uint32_t>(out.targets.size());
                out.targets.emplace_back(n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "");
                struct stat st {};
                if (::fstatat(dfd, e->d_name, &st, 0) != 0) {
                    item.type = EntryType::broken_link;
                } else if (S_ISDIR(st.st_mode)) {
                    item.type = EntryType::directory_link;
                } else if (S_ISREG(st.st_mode)) {
                    item.type = EntryType::file;
                }
            } else if (type == DT_DIR) {
                item.type = EntryType::directory;
            } else if (type == DT_REG) {
                item.type = EntryType::file;
            }
            out.items.push_back(item);
        }
        ::closedir(d);
        out.sort();
        return true;
    }

    // A descriptor for a folder, opened once; -1 when it does not exist.
    // Each thread remembers the last folder it asked for: the files of a
    // version location come one after another, and this spares them the
    // shared map and its lock.
    int dir_fd(std::string_view dir) const {
        // Keyed by serial number, not address: a later source at the same
        // address must not inherit a closed descriptor.
        thread_local std::uint64_t last_source = 0;
        thread_local std::string last_dir;
        thread_local int last_fd = -1;
        if (last_source == m_serial && last_dir == dir) {
            return last_fd;
        }
        int fd = lookup_dir_fd(std::string(dir));
        last_source = m_serial;
        last_dir.assign(dir);
        last_fd = fd;
        return fd;
    }

    int lookup_dir_fd(const std::string& dir) const {
        std::lock_guard<std::mutex> lock(m_mutex);
        auto it = m_dirs.find(dir);
        if (it != m_dirs.end()) {
            return it->second;
        }
        int fd = ::open(full(dir).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 && errno != ENOENT && errno != ENOTDIR) {
            int e = errno;
            throw runtime_error(full(dir) + ": cannot open directory: " + std::strerror(e));
        }
        m_dirs.emplace(dir, fd);
        return fd;
    }

    std::string m_root;
    const std::uint64_t m_serial = next_serial();
    mutable std::mutex m_mutex;
    mutable std::map<std::string, int> m_dirs;
};

}  // namespace

std::unique_ptr<FileSource> disk_source(const std::string& root) {
    return std::make_unique<DiskSource>(root);
}

}  // namespace migcheck
