#include "migcheck/util/content_cache.hpp"

#include "migcheck/util/binary.hpp"
#include "migcheck/util/file_source.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace migcheck {
namespace {

// Entries kept: a few per commit checked, so a few hundred commits' worth.
constexpr std::size_t keep_entries = 512;

// The key's digest, written into the file and compared on reading: two
// 64-bit multiply-rotate hashes over 8-byte words, with different seeds.
// History keys run to hundreds of kilobytes, so a byte at a time would show.
std::string digest(std::string_view key) {
    auto lane = [&](std::uint64_t h) {
        std::size_t i = 0;
        for (; i + 8 <= key.size(); i += 8) {
            std::uint64_t w = 0;
            std::memcpy(&w, key.data() + i, 8);
            h = (h ^ w) * 0x9fb21c651e98df25ULL;
            h = (h << 23) | (h >> 41);
        }
        for (; i < key.size(); ++i) {
            h = (h ^ static_cast<unsigned char>(key[i])) * 0x100000001b3ULL;
        }
        h ^= key.size();
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        return h;
    };
    char out[33];
    std::snprintf(out, sizeof out, "%016llx%016llx",
                  static_cast<unsigned long long>(lane(0xcbf29ce484222325ULL)),
                  static_cast<unsigned long long>(lane(0x9e3779b97f4a7c15ULL)));
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
    if (dir.empty()) {
        return c;
    }
    // What is derived depends on every reader in the program, not on a
    // format alone: results are kept for the binary that derived them, named
    // by its size and times, so that a rebuilt or upgraded migcheck never
    // reads another's.
    struct stat st {};
    if (::stat("/proc/self/exe", &st) != 0) {
        return c;
    }
    char build[96];
    std::snprintf(build, sizeof build, "%llu %lld.%09ld %lld.%09ld\n",
                  static_cast<unsigned long long>(st.st_size), static_cast<long long>(st.st_mtim.tv_sec),
                  st.st_mtim.tv_nsec, static_cast<long long>(st.st_ctim.tv_sec), st.st_ctim.tv_nsec);
    c.m_build = build;
    c.m_dir = dir + "/derived";
    return c;
}

std::string ContentCache::digest_of(std::string_view key) const {
    return digest(m_build + std::string(key));
}

std::optional<ContentCache::Entry> ContentCache::get(std::string_view kind,
                                                     std::string_view key) const {
    if (m_dir.empty()) {
        return std::nullopt;
    }
    std::string name = digest_of(key);
    std::string path = m_dir + "/" + std::string(kind) + "-" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    struct stat st {};
    std::string head = name + "\n";
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::size_t>(st.st_size) < head.size()) {
        ::close(fd);
        return std::nullopt;
    }
    auto size = static_cast<std::size_t>(st.st_size);
    // Mapped with its pages read in at once: faulting them in one by one
    // costs more than the bytes. Entries are written whole and renamed into
    // place, never rewritten, so the mapping stays whole.
    void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    ::close(fd);
    if (addr == MAP_FAILED) {
        return std::nullopt;
    }
    std::shared_ptr<const void> map(addr, [size](const void* p) {
        ::munmap(const_cast<void*>(p), size);
    });
    std::string_view bytes(static_cast<const char*>(addr), size);
    if (bytes.substr(0, head.size()) != head) {
        return std::nullopt;
    }
    return Entry(std::move(map), bytes.substr(head.size()));
}

void ContentCache::put(std::string_view kind, std::string_view key, std::string_view bytes) const {
    if (m_dir.empty()) {
        return;
    }
    ::mkdir(binary::cache_dir().c_str(), 0700);
    std::string name = digest_of(key);
    std::string path = m_dir + "/" + std::string(kind) + "-" + name;
    // Pruning lists and stats every entry: done at one write in 16, chosen
    // by the key's digest, it keeps the folder near its bound at a fraction
    // of the cost.
    if (::mkdir(m_dir.c_str(), 0700) != 0 && name.back() == '0') {
        prune(m_dir);
    }
    std::string tmp = path + ".tmp" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return;
    }
    bool ok = write_all(fd, name + "\n") && write_all(fd, bytes);
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
        ::unlink(tmp.c_str());
    }
}

}  // namespace migcheck
