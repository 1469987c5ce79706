#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <thread>

namespace migcheck::git {
namespace detail {

namespace {

struct Library {
    Library() {
        if (git_libgit2_init() < 0) {
            throw runtime_error("cannot initialise libgit2: " + last_error());
        }
        // libgit2 hashes every object it reads again to verify its id; git
        // itself does not (fsck does). A 5,000-file folder's tree is 375 KB,
        // and hashing it costs more than reading it, on every branch.
        check(git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0),
              "cannot configure libgit2");
    }
    ~Library() { git_libgit2_shutdown(); }
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
};

}  // namespace

void ensure_library() { static Library library; }

std::string last_error() {
    const git_error* e = git_error_last();
    return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

void check(int rc, const std::string& what) {
    if (rc < 0) {
        throw runtime_error(what + ": " + last_error());
    }
}

ObjectId to_id(const git_oid& oid) {
    ObjectId id;
    std::memcpy(id.bytes.data(), oid.id, id.bytes.size());
    return id;
}

git_oid to_oid(const ObjectId& id) {
    git_oid oid{};
    std::memcpy(oid.id, id.bytes.data(), id.bytes.size());
    return oid;
}

SharedTree Handle::tree(const ObjectId& id) {
    return trees.get(id, [&] {
        git_oid oid = to_oid(id);
        git_tree* raw = nullptr;
        check(git_tree_lookup(&raw, repo.get(), &oid), "tree " + id.hex());
        return SharedTree(raw, [](const git_tree* p) { git_tree_free(const_cast<git_tree*>(p)); });
    });
}

std::shared_ptr<const RawTree> Handle::raw_tree(const git_oid& oid, bool keep) {
    ObjectId id = to_id(oid);
    return raw_trees.get(id, [&] {
        if (!odb) {
            git_odb* raw = nullptr;
            check(git_repository_odb(&raw, repo.get()), "cannot open the object database");
            odb.reset(raw);
        }
        git_odb_object* raw = nullptr;
        check(git_odb_read(&raw, odb.get(), &oid), "tree " + id.hex());
        auto t = std::make_shared<RawTree>();
        t->object.reset(raw);
        if (git_odb_object_type(raw) != GIT_OBJECT_TREE) {
            throw runtime_error("tree " + id.hex() + ": not a tree");
        }
        t->data = std::string_view(static_cast<const char*>(git_odb_object_data(raw)),
                                   git_odb_object_size(raw));
        return std::shared_ptr<const RawTree>(std::move(t));
    }, keep);
}

SharedTree commit_tree(Handle& h, const ObjectId& commit) {
    git_oid oid = to_oid(commit);
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, h.repo.get(), &oid), "commit " + commit.hex());
    CommitPtr c(raw);
    return h.tree(*git_commit_tree_id(c.get()));
}

std::string blob_text(git_repository* repo, const git_oid& id, const std::string& what) {
    git_blob* raw = nullptr;
    check(git_blob_lookup(&raw, repo, &id), what);
    BlobPtr blob(raw);
    const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

}  // namespace detail

using namespace detail;

std::string ObjectId::hex() const {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    s.reserve(40);
    for (unsigned char b : bytes) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

const char* status_name(ChangeStatus status) {
    switch (status) {
    case ChangeStatus::added:
        return "added";
    case ChangeStatus::modified:
        return "modified";
    case ChangeStatus::deleted:
        return "deleted";
    case ChangeStatus::renamed:
        return "renamed";
    }
    return "modified";
}

Repository Repository::open(const std::string& path) {
    ensure_library();
    git_repository* raw = nullptr;
    int rc = git_repository_open_ext(&raw, path.c_str(), 0, nullptr);
    if (rc == GIT_ENOTFOUND) {
        throw usage_error(path + ": not a git repository (or any parent up to /)");
    }
    if (rc == GIT_EOWNER) {
        throw usage_error(path + ": git refuses the repository because another user owns it; "
                                 "if you trust it, run: git config --global --add "
                                 "safe.directory " + path);
    }
    check(rc, path + ": cannot open the git repository");
    auto h = std::make_shared<Handle>();
    h->repo.reset(raw);
    h->gitdir = git_repository_path(raw);
    return Repository(std::move(h));
}

Repository Repository::reopen() const {
    git_repository* raw = nullptr;
    check(git_repository_open_ext(&raw, m_h->gitdir.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH,
                                  nullptr),
          m_h->gitdir + ": cannot open the git repository");
    auto h = std::make_shared<Handle>();
    h->repo.reset(raw);
    h->gitdir = m_h->gitdir;
    return Repository(std::move(h));
}

std::string Repository::workdir() const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    const char* w = git_repository_workdir(m_h->repo.get());
    if (w == nullptr) {
        throw usage_error("the repository is bare; run in a working tree");
    }
    std::string s = w;
    while (s.size() > 1 && s.back() == '/') {
        s.pop_back();
    }
    return s;
}

std::optional<Resolved> Repository::resolve(const std::string& rev) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    git_object* obj = nullptr;
    git_reference* ref = nullptr;
    int rc = git_revparse_ext(&obj, &ref, m_h->repo.get(), rev.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC) {
        return std::nullopt;
    }
    if (rc == GIT_EAMBIGUOUS) {
        throw usage_error(rev + ": ambiguous: it begins the ids of several objects; give more "
                                "of the id");
    }
    check(rc, rev);
    ObjectPtr object(obj);
    RefPtr reference(ref);
    git_object* peeled = nullptr;
    rc = git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT);
    if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EPEEL) {
        return std::nullopt;
    }
    check(rc, rev);
    ObjectPtr commit(peeled);
    Resolved out{to_id(*git_object_id(commit.get())), ""};
    if (reference) {
        // HEAD, or a symbolic ref, stands for the branch it points at.
        git_reference* direct = nullptr;
        rc = git_reference_resolve(&direct, reference.get());
        if (rc == 0) {
            RefPtr d(direct);
            out.ref = git_reference_name(d.get());
        } else if (rc != GIT_ENOTFOUND) {
            check(rc, rev);
        }
    }
    return out;
}

std::vector<Ref> Repository::refs(const std::string& glob) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    git_reference_iterator* raw = nullptr;
    check(git_reference_iterator_glob_new(&raw, m_h->repo.get(), glob.c_str()),
          "cannot list references " + glob);
    RefIterPtr it(raw);
    std::vector<Ref> out;
    for (;;) {
        git_reference* r = nullptr;
        int rc = git_reference_next(&r, it.get());
        if (rc == GIT_ITEROVER) {
            break;
        }
        check(rc, "cannot list references " + glob);
        RefPtr ref(r);
        if (git_reference_type(ref.get()) == GIT_REFERENCE_SYMBOLIC) {
            continue;
        }
        git_object* peeled = nullptr;
        rc = git_reference_peel(&peeled, ref.get(), GIT_OBJECT_COMMIT);
        if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EPEEL) {
            continue;
        }
        check(rc, git_reference_name(ref.get()));
        ObjectPtr commit(peeled);
        out.push_back(Ref{git_reference_name(ref.get()), git_reference_shorthand(ref.get()),
                          to_id(*git_object_id(commit.get()))});
    }
    std::sort(out.begin(), out.end(), [](const Ref& a, const Ref& b) { return a.name < b.name; });
    return out;
}

std::optional<ObjectId> Repository::merge_base(const ObjectId& a, const ObjectId& b) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    git_oid out{};
    git_oid one = to_oid(a);
    git_oid two = to_oid(b);
    int rc = git_merge_base(&out, m_h->repo.get(), &one, &two);
    if (rc == GIT_ENOTFOUND) {
        return std::nullopt;
    }
    check(rc, "merge base of " + a.hex() + " and " + b.hex());
    return to_id(out);
}

std::unique_ptr<GitFiles> Repository::commit_files(const ObjectId& commit,
                                                   const std::string& prefix,
                                                   const std::string& description) const {
    SharedTree root;
    {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        root = commit_tree(*m_h, commit);
    }
    return make_tree_files(m_h, std::move(root), prefix, description);
}

std::unique_ptr<FileSource> Repository::tree(const std::string& rev,
                                             const std::string& prefix) const {
    SharedTree root;
    {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        git_object* obj = nullptr;
        int rc = git_revparse_single(&obj, m_h->repo.get(), rev.c_str());
        if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC) {
            throw usage_error("--rev " + rev + ": no such commit in this repository");
        }
        check(rc, "--rev " + rev);
        ObjectPtr object(obj);
        git_object* peeled = nullptr;
        rc = git_object_peel(&peeled, object.get(), GIT_OBJECT_TREE);
        if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EPEEL) {
            throw usage_error("--rev " + rev + ": does not name a commit or tree");
        }
        check(rc, "--rev " + rev);
        ObjectPtr t(peeled);
        root = m_h->tree(*git_object_id(t.get()));
    }
    return make_tree_files(m_h, std::move(root), prefix, "commit " + rev);
}

std::optional<std::string> Repository::read_blob(const ObjectId& id) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    git_oid oid = to_oid(id);
    git_blob* raw = nullptr;
    int rc = git_blob_lookup(&raw, m_h->repo.get(), &oid);
    if (rc == GIT_ENOTFOUND) {
        return std::nullopt;
    }
    check(rc, "blob " + id.hex());
    BlobPtr blob(raw);
    const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
    return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
}

void Repository::for_each_blob(const std::vector<ObjectId>& ids, unsigned threads,
                               const std::function<void(std::size_t, std::string_view)>& use) const {
    // Blocks of ids, so that the threads rarely meet at the counter.
    constexpr std::size_t block = 16;
    std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(threads, ids.size() / 64));
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&](git_repository* repo) {
        try {
            for (;;) {
                std::size_t start = next.fetch_add(block);
                if (start >= ids.size()) {
                    return;
                }
                for (std::size_t k = start; k < std::min(ids.size(), start + block); ++k) {
                    git_oid oid = to_oid(ids[k]);
                    git_blob* raw = nullptr;
                    check(git_blob_lookup(&raw, repo, &oid), "blob " + ids[k].hex());
                    BlobPtr blob(raw);
                    use(k, std::string_view(
                               static_cast<const char*>(git_blob_rawcontent(blob.get())),
                               static_cast<std::size_t>(git_blob_rawsize(blob.get()))));
                }
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(failure_mutex);
            if (!failure) {
                failure = std::current_exception();
            }
            next.store(ids.size());
        }
    };
    // A libgit2 repository is used by one thread at a time: each worker
    // opens its own, and the caller's thread uses this one, locked.
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < workers; ++t) {
        pool.emplace_back([&] {
            std::optional<Repository> own;
            try {
                own = reopen();
            } catch (...) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) {
                    failure = std::current_exception();
                }
                next.store(ids.size());
                return;
            }
            work(own->m_h->repo.get());
        });
    }
    {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        work(m_h->repo.get());
    }
    for (auto& t : pool) {
        t.join();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
}

}  // namespace migcheck::git
