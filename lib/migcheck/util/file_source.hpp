#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migcheck {

enum class EntryType { file, directory, directory_link, broken_link, other };

struct DirEntry {
    std::string name;
    EntryType type;
    std::string target;  // for links: what the link points to, as written
};

// A directory entry as visit() passes it: views valid during the call only.
struct DirEntryView {
    std::string_view name;
    EntryType type;
    std::string_view target;
};

// Read access to a project's files, by path relative to the project root with
// '/' separators. The working tree and a git commit's tree both implement it,
// so every reader works on either.
// What identifies a file's content on disk without reading it, as git's index
// keeps it: equal stamps mean unchanged content (for files not modified in
// the last moments; see revision/cache.hpp).
struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t ctime_ns = 0;
    std::uint64_t inode = 0;
    std::uint64_t device = 0;
    bool operator==(const FileStamp&) const = default;
};

class FileSource {
  public:
    virtual ~FileSource() = default;
    // Entries of a directory sorted by name, or nullopt when it does not exist
    // or is not a directory.
    virtual std::optional<std::vector<DirEntry>> list(const std::string& dir) const = 0;
    // Calls `each` for each entry that list() returns, in the same order;
    // false when the directory does not exist or is not a directory. For a
    // folder of thousands of files it spares a string for each name.
    virtual bool visit(const std::string& dir,
                       const std::function<void(const DirEntryView&)>& each) const {
        auto entries = list(dir);
        if (!entries) {
            return false;
        }
        for (const auto& e : *entries) {
            each(DirEntryView{e.name, e.type, e.target});
        }
        return true;
    }
    // The file's bytes, or nullopt when it does not exist. Throws Error
    // (runtime) when it exists but cannot be read; `why` style messages.
    virtual std::optional<std::string> read(const std::string& path) const = 0;
    // Where the files come from, for messages: "the working tree" or "commit abc1234".
    virtual std::string description() const = 0;
    // The file's stamp where the source has one (the working tree), else
    // nullopt; also nullopt when the file cannot be stat'ed.
    virtual std::optional<FileStamp> stamp(const std::string& /*path*/) const {
        return std::nullopt;
    }
};

// The working tree under `root` (an absolute directory).
std::unique_ptr<FileSource> disk_source(const std::string& root);

// Joins and normalises relative paths: "a/./b/../c" -> "a/c"; "" for the root.
std::string join_path(const std::string& a, const std::string& b);
std::string normalize_path(const std::string& p);

// Reads a whole file from disk; nullopt if it does not exist; throws Error on
// any other failure.
std::optional<std::string> read_disk_file(const std::string& path);

}  // namespace migcheck
