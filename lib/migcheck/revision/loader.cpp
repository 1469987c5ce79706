#include "migcheck/revision/loader.hpp"

#include "migcheck/revision/cache.hpp"

#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <future>
#include <mutex>
#include <set>
#include <thread>

namespace migcheck::revision {
namespace {

// Collects the revision files under `dir`; false when `dir` does not exist.
bool walk_dir(const FileSource& files, const std::string& dir, bool recursive,
              std::set<std::string>* seen, LoadedHistory& out) {
    auto entries = files.list(dir);
    if (!entries) {
        return false;
    }
    std::vector<std::string> subdirs;
    for (const auto& e : *entries) {
        // `dir` is already normal and a name holds no '/': plain
        // concatenation, where join_path would split and join every path.
        std::string path = dir.empty() ? e.name : dir + "/" + e.name;
        if (e.type == EntryType::directory) {
            if (e.name != "__pycache__") {
                subdirs.push_back(path);
            }
            continue;
        }
        if (e.type == EntryType::directory_link) {
            if (recursive) {
                std::string target = join_path(dir, e.target);
                bool loop = target.empty() || dir == target ||
                            text::starts_with(dir + "/", target + "/");
                out.findings.push_back(Finding{
                    Severity::warning, "symlink-not-followed", path, 0, 0,
                    "'" + path + "' links to directory '" + e.target + "'" +
                        (loop ? ", which contains the link itself (a symlink loop)" : "") +
                        "; not followed, as Alembic does not follow directory links: move "
                        "revisions there into a real folder or list it in version_locations"});
            }
            continue;
        }
        if (!is_revision_file_name(e.name)) {
            continue;
        }
        if (e.type == EntryType::broken_link) {
            out.findings.push_back(Finding{Severity::error, "syntax-error", path, 0, 0,
                                           "cannot read: the link points to '" + e.target +
                                               "', which does not exist"});
            continue;
        }
        if (e.type != EntryType::file) {
            continue;
        }
        // Only several version locations can name one file twice.
        if (seen == nullptr || seen->insert(path).second) {
            out.files.push_back(std::move(path));
        }
    }
    if (recursive) {
        for (const auto& sub : subdirs) {
            walk_dir(files, sub, recursive, seen, out);
        }
    }
    return true;
}

// Reads and parses one file; a file that cannot be read is a finding.
ReadResult read_one(const FileSource& files, const std::string& path) {
    std::optional<std::string> bytes;
    try {
        bytes = files.read(path);
    } catch (const Error& err) {
        std::string why = err.what();
        if (auto colon = why.rfind(": "); colon != std::string::npos) {
            why = why.substr(colon + 2);
        }
        ReadResult r;
        r.findings.push_back(
            Finding{Severity::error, "syntax-error", path, 0, 0, "cannot read: " + why});
        return r;
    }
    if (!bytes) {
        return {};
    }
    return read_revision(*bytes, path);
}

// Files are independent, so they are read and parsed on every core; results
// land in slots by position, which keeps load order whatever the timing.
std::vector<ReadResult> read_all(const FileSource& files, const std::vector<std::string>& paths,
                                 HeaderCache& cache) {
    std::vector<ReadResult> results(paths.size());
    std::vector<std::optional<FileStamp>> stamps(paths.size());
    std::atomic<std::size_t> hits{0};
    const bool cached = cache.enabled();
    unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    std::size_t workers = std::min<std::size_t>(std::min(cores, 8U), paths.size() / 64 + 1);
    if (cached) {
        cache.index(paths);
    }
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&] {
        for (;;) {
            std::size_t i = next.fetch_add(1);
            if (i >= paths.size()) {
                return;
            }
            try {
                // Stat calls dominate once the cache is warm, so they are
                // spread over the threads too, as git preloads its index.
                if (cached && (stamps[i] = files.stamp(paths[i]))) {
                    if (auto hit = cache.take(paths[i], i, *stamps[i])) {
                        results[i] = std::move(*hit);
                        ++hits;
                        continue;
                    }
                }
                results[i] = read_one(files, paths[i]);
            } catch (...) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) {
                    failure = std::current_exception();
                }
                next = paths.size();
                return;
            }
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 1; t < workers; ++t) {
        threads.emplace_back(work);
    }
    work();
    for (auto& t : threads) {
        t.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    cache.save(paths, stamps, results, hits);
    return results;
}

}  // namespace

LoadedHistory load_history(const FileSource& files, const config::AlembicSettings& alembic,
                           const std::string& cache_root) {
    if (!alembic.present) {
        throw usage_error(alembic.ini_path + ": not found in " + files.description() +
                          "; run in the project's root, pass -C DIR, or set alembic_ini in "
                          "config/migcheck.yaml");
    }
    LoadedHistory out;
    // The cache file is read and decoded while the folders are listed.
    std::future<HeaderCache> cache_future;
    if (!cache_root.empty()) {
        cache_future = std::async(std::launch::async,
                                  [&cache_root] { return HeaderCache::open(cache_root); });
    }
    std::set<std::string> seen;
    std::set<std::string>* seen_ptr = alembic.version_locations.size() > 1 ? &seen : nullptr;
    for (const auto& location : alembic.version_locations) {
        if (!walk_dir(files, location, alembic.recursive, seen_ptr, out)) {
            int line = alembic.version_locations_line != 0 ? alembic.version_locations_line : 1;
            throw usage_error(alembic.ini_path + ":" + std::to_string(line) +
                              ": version location '" + location + "' does not exist in " +
                              files.description() + "; create it (mkdir -p " + location +
                              ") or fix " +
                              (alembic.version_locations_line != 0 ? "version_locations"
                                                                   : "script_location"));
        }
    }
    HeaderCache cache = cache_future.valid() ? cache_future.get() : HeaderCache();
    for (auto& r : read_all(files, out.files, cache)) {
        for (auto& f : r.findings) {
            out.findings.push_back(std::move(f));
        }
        if (r.revision) {
            out.revisions.push_back(std::move(*r.revision));
        }
    }
    return out;
}

}  // namespace migcheck::revision
