#include "migcheck/util/file_source.hpp"

#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace migcheck {

std::string normalize_path(const std::string& p) {
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

std::optional<std::string> read_disk_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            return std::nullopt;
        }
        throw runtime_error(path + ": cannot open: " + std::strerror(errno));
    }
    std::string data;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        ::close(fd);
        throw runtime_error(path + ": is a directory, not a file");
    }
    if (st.st_size > 0) {
        data.reserve(static_cast<std::size_t>(st.st_size));
    }
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
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
        data.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return data;
}

namespace {

class DiskSource : public FileSource {
  public:
    explicit DiskSource(std::string root) : m_root(std::move(root)) {}

    std::string full(const std::string& rel) const {
        if (!rel.empty() && rel[0] == '/') {
            return rel;
        }
        return rel.empty() ? m_root : m_root + "/" + rel;
    }

    std::optional<std::vector<DirEntry>> list(const std::string& dir) const override {
        std::string path = full(dir);
        DIR* d = ::opendir(path.c_str());
        if (d == nullptr) {
            if (errno == ENOENT || errno == ENOTDIR) {
                return std::nullopt;
            }
            throw runtime_error(path + ": cannot list directory: " + std::strerror(errno));
        }
        std::vector<DirEntry> out;
        while (dirent* e = ::readdir(d)) {
            std::string name = e->d_name;
            if (name == "." || name == "..") {
                continue;
            }
            std::string child = path + "/" + name;
            struct stat lst {};
            if (::lstat(child.c_str(), &lst) != 0) {
                continue;
            }
            DirEntry entry{name, EntryType::other, {}};
            if (S_ISLNK(lst.st_mode)) {
                char buf[4096];
                ssize_t n = ::readlink(child.c_str(), buf, sizeof buf - 1);
                entry.target = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
                struct stat st {};
                if (::stat(child.c_str(), &st) != 0) {
                    entry.type = EntryType::broken_link;
                } else if (S_ISDIR(st.st_mode)) {
                    entry.type = EntryType::directory_link;
                } else if (S_ISREG(st.st_mode)) {
                    entry.type = EntryType::file;
                }
            } else if (S_ISDIR(lst.st_mode)) {
                entry.type = EntryType::directory;
            } else if (S_ISREG(lst.st_mode)) {
                entry.type = EntryType::file;
            }
            out.push_back(std::move(entry));
        }
        ::closedir(d);
        std::sort(out.begin(), out.end(),
                  [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
        return out;
    }

    std::optional<std::string> read(const std::string& path) const override {
        return read_disk_file(full(path));
    }

    std::string description() const override { return "the working tree"; }

  private:
    std::string m_root;
};

}  // namespace

std::unique_ptr<FileSource> disk_source(const std::string& root) {
    return std::make_unique<DiskSource>(root);
}

}  // namespace migcheck
