#include "migcheck/util/content_cache.hpp"

#include "migcheck/util/binary.hpp"
#include "migcheck/util/file_source.hpp"

#include <algorithm>
#include <cstdio>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace migcheck {
namespace {

// Entries kept: a few per commit checked, so a few hundred commits' worth.
constexpr std::size_t keep_entries = 512;

// The key's digest: two independent 64-bit hashes, written into the file
// and compared on reading.
std::string digest(std::string_view key) {
    char out[33];
    std::uint64_t b = 0x9e3779b97f4a7c15ULL;
    for (char c : key) {
        b = (b ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
        b ^= b >> 29;
    }
    std::snprintf(out, sizeof out, "%016llx%016llx",
                  static_cast<unsigned long long>(binary::fnv1a(key)),
                  static_cast<unsigned long long>(b));
    return out;
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n <= 0) {
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Removes the oldest entries beyond keep_entries.
void prune(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
        return;
    }
    std::vector<std::pair<std::int64_t, std::string>> files;
    while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name[0] == '.') {
            continue;
        }
        struct stat st {};
        std::string path = dir + "/" + name;
        if (::stat(path.c_str(), &st) == 0) {
            files.emplace_back(static_cast<std::int64_t>(st.st_mtime), path);
        }
    }
    ::closedir(d);
    if (files.size() <= keep_entries) {
        return;
    }
    std::sort(files.begin(), files.end());
    for (std::size_t i = 0; i + keep_entries * 3 / 4 < files.size(); ++i) {
        ::unlink(files[i].second.c_str());
    }
}

}  // namespace

ContentCache ContentCache::open() {
    ContentCache c;
    std::string dir = binary::cache_dir();
    if (!dir.empty()) {
        c.m_dir = dir + "/derived";
    }
    return c;
}

std::string ContentCache::file(std::string_view kind, std::string_view key) const {
    return m_dir + "/" + std::string(kind) + "-" + digest(key);
}

std::optional<std::string> ContentCache::get(std::string_view kind, std::string_view key) const {
    if (m_dir.empty()) {
        return std::nullopt;
    }
    std::optional<std::string> bytes;
    try {
        bytes = read_disk_file(file(kind, key));
    } catch (...) {
        return std::nullopt;
    }
    std::string head = digest(key) + "\n";
    if (!bytes || bytes->compare(0, head.size(), head) != 0) {
        return std::nullopt;
    }
    return bytes->substr(head.size());
}

void ContentCache::put(std::string_view kind, std::string_view key, std::string_view bytes) const {
    if (m_dir.empty()) {
        return;
    }
    ::mkdir(binary::cache_dir().c_str(), 0700);
    if (::mkdir(m_dir.c_str(), 0700) == 0) {
        // A new folder: nothing to prune.
    } else {
        prune(m_dir);
    }
    std::string path = file(kind, key);
    std::string tmp = path + ".tmp" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return;
    }
    bool ok = write_all(fd, digest(key) + "\n") && write_all(fd, bytes);
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
    }
}

}  // namespace migcheck
