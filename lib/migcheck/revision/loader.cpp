#include "migcheck/revision/loader.hpp"

#include "migcheck/revision/cache.hpp"

#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

namespace migcheck::revision {
namespace {

// Collects the revision files under `dir`; false when `dir` does not exist.
bool walk_dir(const FileSource& files, const std::string& dir, bool recursive,
              std::set<std::string>* seen, LoadedHistory& out) {
    std::vector<std::string> subdirs;
    auto visit = [&](const DirEntryView& e) {
        // `dir` is already normal and a name holds no '/': plain
        // concatenation, where join_path would split and join every path.
        auto path_of = [&] {
            std::string path;
            path.reserve(dir.size() + 1 + e.name.size());
            if (!dir.empty()) {
                path.append(dir).push_back('/');
            }
            path.append(e.name);
            return path;
        };
        if (e.type == EntryType::directory) {
            if (e.name != "__pycache__") {
                subdirs.push_back(path_of());
            }
            return;
        }
        if (e.type == EntryType::directory_link) {
            if (recursive) {
                std::string path = path_of();
                std::string shown(e.target);
                std::string target = join_path(dir, shown);
                bool loop = target.empty() || dir == target ||
                            text::starts_with(dir + "/", target + "/");
                out.findings.push_back(Finding{
                    Severity::warning, "symlink-not-followed", path, 0, 0,
                    "'" + path + "' links to directory '" + shown + "'" +
                        (loop ? ", which contains the link itself (a symlink loop)" : "") +
                        "; not followed, as Alembic does not follow directory links: move "
                        "revisions there into a real folder or list it in version_locations"});
            }
            return;
        }
        if (!is_revision_file_name(e.name)) {
            return;
        }
        if (e.type == EntryType::broken_link) {
            out.findings.push_back(Finding{Severity::error, "syntax-error", path_of(), 0, 0,
                                           "cannot read: the link points to '" +
                                               std::string(e.target) + "', which does not exist"});
            return;
        }
        if (e.type != EntryType::file) {
            return;
        }
        // Only several version locations can name one file twice.
        std::string path = path_of();
        if (seen == nullptr || seen->insert(path).second) {
            out.files.push_back(std::move(path));
        }
    };
    if (!files.visit(dir, visit)) {
        return false;
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

// Reading every revision file. Files are independent, so they are read and
// parsed on every core; each revision is decoded straight into its slot, by
// position, which keeps load order whatever the timing and moves no
// revision afterwards.
class Batch {
  public:
    // Files named by `paths`, or, when null, by the cache's own entries: the
    // files of the last run, read while the folders are listed, on the bet
    // that they are the same files (load_history checks before it keeps any).
    Batch(const FileSource& files, const HeaderCache& cache, HeaderText text,
          const std::vector<std::string>* paths)
        : m_files(files), m_cache(cache), m_text(text), m_paths(paths) {}

    // Makes a slot for each file, once: the first thread to call it does,
    // and any other waits for that, so no thread waits for another to be
    // scheduled at all.
    void prepare() {
        std::call_once(m_prepared, [this] {
            m_count = m_paths != nullptr ? m_paths->size() : m_cache.size();
            m_revisions.resize(m_count);
            m_present.assign(m_count, 0);
            m_taken.assign(m_cache.enabled() ? m_count : 0, 0);
        });
    }

    // Takes files until none is left or stop() is called; on any thread that
    // called prepare(), or was started after a call returned.
    void work();
    void stop() { m_next.store(SIZE_MAX / 2); }
    // Whether a guess met a file it could not stat; only meaningful once
    // every worker is done.
    bool doubtful() const { return m_doubtful; }

    // Once every worker is done: saves the cache and hands the revisions and
    // findings over, in load order.
    void finish(LoadedHistory& out);

  private:
    const FileSource& m_files;
    const HeaderCache& m_cache;
    const HeaderText m_text;
    const std::vector<std::string>* m_paths;
    std::size_t m_count = 0;
    std::vector<Revision> m_revisions;
    std::vector<char> m_present;
    std::vector<char> m_taken;
    std::once_flag m_prepared;
    std::atomic<bool> m_doubtful{false};
    std::atomic<std::size_t> m_next{0};
    // Findings and files read afresh are rare once the cache is warm: kept
    // aside, by position, under a lock.
    std::mutex m_mutex;
    std::vector<std::pair<std::size_t, std::vector<Finding>>> m_found;
    std::vector<HeaderCache::Fresh> m_fresh;
    std::exception_ptr m_failure;
};

void Batch::work() {
    const bool cached = m_cache.enabled();
    std::vector<Finding> findings;
    for (;;) {
        std::size_t i = m_next.fetch_add(1);
        if (i >= m_count) {
            return;
        }
        try {
            Revision& rev = m_revisions[i];
            if (m_paths != nullptr) {
                rev.path = (*m_paths)[i];
            } else {
                rev.path = m_cache.path_at(i);
            }
            // Stat calls dominate once the cache is warm, so they are spread
            // over the threads too, as git preloads its index.
            std::optional<FileStamp> stamp;
            if (cached && (stamp = m_files.stamp(rev.path))) {
                if (auto holds = m_cache.take(rev.path, i, *stamp, m_text, rev, findings)) {
                    m_present[i] = static_cast<char>(*holds);
                    m_taken[i] = 1;
                    if (!findings.empty()) {
                        std::lock_guard<std::mutex> lock(m_mutex);
                        m_found.emplace_back(i, std::move(findings));
                        findings.clear();
                    }
                    continue;
                }
            } else if (m_paths == nullptr) {
                // Gone, or no longer a regular file: only a file that the
                // listing has seen is read (a FIFO or a device must not be).
                m_doubtful = true;
                continue;
            }
            ReadResult r = read_one(m_files, rev.path);
            std::string encoded = stamp ? HeaderCache::encode(r) : std::string();
            if (r.revision) {
                rev = std::move(*r.revision);
                m_present[i] = 1;
            }
            std::lock_guard<std::mutex> lock(m_mutex);
            if (stamp) {
                m_fresh.push_back(HeaderCache::Fresh{i, *stamp, std::move(encoded)});
            }
            if (!r.findings.empty()) {
                m_found.emplace_back(i, std::move(r.findings));
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (!m_failure) {
                m_failure = std::current_exception();
            }
            stop();
            return;
        }
    }
}

void Batch::finish(LoadedHistory& out) {
    if (m_failure) {
        std::rethrow_exception(m_failure);
    }
    std::sort(m_fresh.begin(), m_fresh.end(),
              [](const auto& a, const auto& b) { return a.position < b.position; });
    std::sort(m_found.begin(), m_found.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    m_cache.save(out.files, m_taken, m_fresh);
    for (auto& [i, findings] : m_found) {
        for (auto& f : findings) {
            out.findings.push_back(std::move(f));
        }
    }
    if (std::find(m_present.begin(), m_present.end(), 0) == m_present.end()) {
        out.revisions = std::move(m_revisions);
        return;
    }
    out.revisions.reserve(m_count);
    for (std::size_t i = 0; i < m_count; ++i) {
        if (m_present[i] != 0) {
            out.revisions.push_back(std::move(m_revisions[i]));
        }
    }
}

// Whether the cache lists exactly these files, in this order.
bool same_files(const HeaderCache& cache, const std::vector<std::string>& paths) {
    if (cache.size() != paths.size()) {
        return false;
    }
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (cache.path_at(i) != paths[i]) {
            return false;
        }
    }
    return true;
}

// A thread costs about what a few hundred cached files do (0.5 us each,
// most of it the stat call): fewer files are not worth one.
std::size_t worker_count(std::size_t files) {
    unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    return std::min<std::size_t>(std::min(cores, 8U), files / 256 + 1);
}

}  // namespace

LoadedHistory load_history(const FileSource& files, const config::AlembicSettings& alembic,
                           const std::string& cache_root, HeaderText text) {
    if (!alembic.present) {
        throw usage_error(alembic.ini_path + ": not found in " + files.description() +
                          "; run in the project's root, pass -C DIR, or set alembic_ini in "
                          "config/migcheck.yaml");
    }
    LoadedHistory out;
    HeaderCache cache = cache_root.empty() ? HeaderCache() : HeaderCache::open(cache_root);
    // Listing a folder of thousands of files takes as long as stat'ing half
    // of them. So while this thread lists, another already stats and decodes
    // the files the cache names; the folders nearly always hold exactly
    // those, and when they do not, that work is dropped.
    std::optional<Batch> guess;
    std::thread guesser;
    if (worker_count(cache.size()) > 1) {
        guess.emplace(files, cache, text, nullptr);
        try {
            guesser = std::thread([&guess] {
                guess->prepare();
                guess->work();
            });
        } catch (const std::system_error&) {
            guess.reset();  // no thread to spare: no guess
        }
    }
    struct Joiner {
        std::thread& t;
        std::optional<Batch>& batch;
        ~Joiner() {
            if (t.joinable()) {
                batch->stop();
                t.join();
            }
        }
    } joiner{guesser, guess};

    out.files.reserve(cache.size());  // nearly always the number of files found
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

    std::size_t workers = worker_count(out.files.size());
    std::vector<std::thread> threads;
    threads.reserve(workers);
    Batch* batch = nullptr;
    std::optional<Batch> plain;
    // Workers beyond this thread (and the guesser); fewer when the system
    // will not start more.
    auto spawn = [&](std::size_t count) {
        for (std::size_t t = 0; t < count; ++t) {
            try {
                threads.emplace_back([batch] { batch->work(); });
            } catch (const std::system_error&) {
                break;
            }
        }
    };
    if (guess && same_files(cache, out.files)) {
        batch = &*guess;
        guess->prepare();
        spawn(workers > 2 ? workers - 2 : 0);
    } else {
        if (guesser.joinable()) {
            guess->stop();
            guesser.join();
        }
        batch = &plain.emplace(files, cache, text, &out.files);
        batch->prepare();
        spawn(workers - 1);
    }
    batch->work();
    for (auto& t : threads) {
        t.join();
    }
    if (guesser.joinable()) {
        guesser.join();
    }
    if (guess && batch == &*guess && guess->doubtful()) {
        // A file vanished between the last run and the listing and came
        // back, or changed kind: read everything as if nothing was guessed.
        batch = &plain.emplace(files, cache, text, &out.files);
        batch->prepare();
        batch->work();
    }
    batch->finish(out);
    return out;
}

}  // namespace migcheck::revision
