#include "migcheck/git/repository.hpp"

#include "migcheck/util/error.hpp"

#include <git2.h>

namespace migcheck::git {
namespace {

struct Library {
    Library() { git_libgit2_init(); }
    ~Library() { git_libgit2_shutdown(); }
    Library(const Library&) = delete;
    Library& operator=(const Library&) = delete;
};

void ensure_library() { static Library library; }

std::string last_error() {
    const git_error* e = git_error_last();
    return e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
}

template <class T, void (*Free)(T*)>
struct Deleter {
    void operator()(T* p) const { Free(p); }
};
using Object = std::unique_ptr<git_object, Deleter<git_object, git_object_free>>;
using Tree = std::unique_ptr<git_tree, Deleter<git_tree, git_tree_free>>;
using Entry = std::unique_ptr<git_tree_entry, Deleter<git_tree_entry, git_tree_entry_free>>;
using Blob = std::unique_ptr<git_blob, Deleter<git_blob, git_blob_free>>;

class TreeSource : public FileSource {
  public:
    TreeSource(std::shared_ptr<git_repository> repo, Tree tree, std::string prefix, std::string rev)
        : m_repo(std::move(repo)), m_tree(std::move(tree)), m_prefix(std::move(prefix)),
          m_rev(std::move(rev)) {}

    std::string full(const std::string& rel) const {
        if (m_prefix.empty()) {
            return rel;
        }
        return rel.empty() ? m_prefix : m_prefix + "/" + rel;
    }

    std::optional<Entry> entry(const std::string& path) const {
        git_tree_entry* raw = nullptr;
        int rc = git_tree_entry_bypath(&raw, m_tree.get(), path.c_str());
        if (rc == GIT_ENOTFOUND) {
            return std::nullopt;
        }
        if (rc != 0) {
            throw runtime_error(m_rev + ":" + path + ": " + last_error());
        }
        return Entry(raw);
    }

    std::optional<Tree> subtree(const std::string& path) const {
        if (path.empty()) {
            git_tree* copy = nullptr;
            if (git_tree_dup(&copy, m_tree.get()) != 0) {
                throw runtime_error(last_error());
            }
            return Tree(copy);
        }
        auto e = entry(path);
        if (!e || git_tree_entry_type(e->get()) != GIT_OBJECT_TREE) {
            return std::nullopt;
        }
        git_tree* t = nullptr;
        if (git_tree_lookup(&t, m_repo.get(), git_tree_entry_id(e->get())) != 0) {
            throw runtime_error(m_rev + ":" + path + ": " + last_error());
        }
        return Tree(t);
    }

    std::string blob_text(const git_oid* id, const std::string& path) const {
        git_blob* b = nullptr;
        if (git_blob_lookup(&b, m_repo.get(), id) != 0) {
            throw runtime_error(m_rev + ":" + path + ": " + last_error());
        }
        Blob blob(b);
        const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.get()));
        return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    }

    std::optional<std::vector<DirEntry>> list(const std::string& dir) const override {
        std::string full_dir = normalize_path(full(dir));
        auto t = subtree(full_dir);
        if (!t) {
            return std::nullopt;
        }
        std::vector<DirEntry> out;
        std::size_t n = git_tree_entrycount(t->get());
        for (std::size_t i = 0; i < n; ++i) {
            const git_tree_entry* e = git_tree_entry_byindex(t->get(), i);
            DirEntry d{git_tree_entry_name(e), EntryType::other, {}};
            git_filemode_t mode = git_tree_entry_filemode(e);
            if (mode == GIT_FILEMODE_TREE) {
                d.type = EntryType::directory;
            } else if (mode == GIT_FILEMODE_LINK) {
                d.target = blob_text(git_tree_entry_id(e), join_path(full_dir, d.name));
                std::string target = join_path(full_dir, d.target);
                auto te = entry(target);
                if (!te) {
                    d.type = EntryType::broken_link;
                } else if (git_tree_entry_type(te->get()) == GIT_OBJECT_TREE) {
                    d.type = EntryType::directory_link;
                } else {
                    d.type = EntryType::file;
                }
            } else if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE) {
                d.type = EntryType::file;
            }
            out.push_back(std::move(d));
        }
        return out;
    }

    std::optional<std::string> read(const std::string& path) const override {
        std::string p = normalize_path(full(path));
        for (int hops = 0; hops < 8; ++hops) {
            auto e = entry(p);
            if (!e || git_tree_entry_type(e->get()) != GIT_OBJECT_BLOB) {
                return std::nullopt;
            }
            std::string text = blob_text(git_tree_entry_id(e->get()), p);
            if (git_tree_entry_filemode(e->get()) != GIT_FILEMODE_LINK) {
                return text;
            }
            std::string dir = p.find('/') == std::string::npos ? "" : p.substr(0, p.rfind('/'));
            p = join_path(dir, text);
        }
        throw runtime_error(m_rev + ":" + path + ": too many levels of symbolic links");
    }

    std::string description() const override { return "commit " + m_rev; }

  private:
    std::shared_ptr<git_repository> m_repo;
    Tree m_tree;
    std::string m_prefix;
    std::string m_rev;
};

}  // namespace

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
    if (rc != 0) {
        throw runtime_error(path + ": cannot open the git repository: " + last_error());
    }
    return Repository(std::shared_ptr<git_repository>(raw, git_repository_free));
}

std::string Repository::workdir() const {
    const char* w = git_repository_workdir(m_repo.get());
    if (w == nullptr) {
        throw usage_error("the repository is bare; run in a working tree");
    }
    std::string s = w;
    while (s.size() > 1 && s.back() == '/') {
        s.pop_back();
    }
    return s;
}

std::unique_ptr<FileSource> Repository::tree(const std::string& rev, const std::string& prefix) const {
    git_object* obj = nullptr;
    int rc = git_revparse_single(&obj, m_repo.get(), rev.c_str());
    if (rc == GIT_ENOTFOUND || rc == GIT_EAMBIGUOUS || rc == GIT_EINVALIDSPEC) {
        throw usage_error("--rev " + rev + ": no such commit in this repository");
    }
    if (rc != 0) {
        throw runtime_error("--rev " + rev + ": " + last_error());
    }
    Object object(obj);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, object.get(), GIT_OBJECT_TREE) != 0) {
        throw usage_error("--rev " + rev + ": does not name a commit or tree");
    }
    Tree tree(reinterpret_cast<git_tree*>(peeled));
    return std::make_unique<TreeSource>(m_repo, std::move(tree), prefix, rev);
}

}  // namespace migcheck::git
