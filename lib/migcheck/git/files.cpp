// The FileSources over a commit's tree and over the index: one way of
// following symbolic links and listing folders over two ways of finding an
// entry.
#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <algorithm>
#include <cstring>

namespace migcheck::git::detail {
namespace {

enum class Kind { tree, blob, link, other };

struct Node {
    Kind kind = Kind::other;
    git_oid id{};
};

Kind kind_of(git_filemode_t mode) {
    switch (mode) {
    case GIT_FILEMODE_TREE:
        return Kind::tree;
    case GIT_FILEMODE_BLOB:
    case GIT_FILEMODE_BLOB_EXECUTABLE:
        return Kind::blob;
    case GIT_FILEMODE_LINK:
        return Kind::link;
    default:
        return Kind::other;  // a submodule's commit
    }
}

std::string parent_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash);
}

class ObjectFiles : public GitFiles {
  public:
    ObjectFiles(std::shared_ptr<Handle> h, std::string prefix, std::string description)
        : m_h(std::move(h)), m_prefix(normalize_path(prefix)),
          m_description(std::move(description)) {}

    std::optional<std::vector<DirEntry>> list(const std::string& dir) const override {
        auto entries = list_blobs(dir);
        if (!entries) {
            return std::nullopt;
        }
        std::vector<DirEntry> out;
        out.reserve(entries->size());
        for (auto& e : *entries) {
            out.push_back(std::move(e.entry));
        }
        return out;
    }

    std::optional<std::vector<BlobEntry>> list_blobs(const std::string& dir) const override {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        std::string full_dir = full(dir);
        std::vector<std::pair<std::string, Node>> children;
        if (!list_children(full_dir, children)) {
            return std::nullopt;
        }
        std::vector<BlobEntry> out;
        out.reserve(children.size());
        for (auto& [name, node] : children) {
            BlobEntry e{DirEntry{std::move(name), EntryType::other, {}}, std::nullopt};
            if (node.kind == Kind::tree) {
                e.entry.type = EntryType::directory;
            } else if (node.kind == Kind::blob) {
                e.entry.type = EntryType::file;
                e.blob = to_id(node.id);
            } else if (node.kind == Kind::link) {
                std::string path = join_path(full_dir, e.entry.name);
                e.entry.target = blob_text(m_h->repo.get(), node.id, where(path));
                bool loop = false;
                auto end = follow(path, &loop);
                if (loop) {
                    // Listed as a file, so that reading it says why it cannot be read.
                    e.entry.type = EntryType::file;
                } else if (!end) {
                    e.entry.type = EntryType::broken_link;
                } else if (end->second.kind == Kind::tree) {
                    e.entry.type = EntryType::directory_link;
                } else if (end->second.kind == Kind::blob) {
                    e.entry.type = EntryType::file;
                    e.blob = to_id(end->second.id);
                }
            }
            out.push_back(std::move(e));
        }
        return out;
    }

    std::optional<std::string> read(const std::string& path) const override {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        auto end = follow(full(path));
        if (!end || end->second.kind != Kind::blob) {
            return std::nullopt;
        }
        return blob_text(m_h->repo.get(), end->second.id, where(end->first));
    }

    std::optional<ObjectId> blob_id(const std::string& path) const override {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        auto end = follow(full(path));
        if (!end || end->second.kind != Kind::blob) {
            return std::nullopt;
        }
        return to_id(end->second.id);
    }

    // Git names a blob by its content, so its id serves as the stamp: the
    // header cache then keeps what it read from a blob for any commit, the
    // index or branch that holds the same blob. No time is involved, so no
    // stamp is ever "racy".
    std::optional<FileStamp> stamp(const std::string& path) const override {
        std::optional<ObjectId> id = blob_id(path);
        if (!id) {
            return std::nullopt;
        }
        FileStamp s;
        std::uint32_t tail = 0;
        std::memcpy(&s.size, id->bytes.data(), 8);
        std::memcpy(&s.inode, id->bytes.data() + 8, 8);
        std::memcpy(&tail, id->bytes.data() + 16, 4);
        s.device = tail;
        return s;
    }

    std::string description() const override { return m_description; }

  protected:
    // The entry at `path` (from the repository's top; "" is the top), or
    // nullopt. The lock is held.
    virtual std::optional<Node> node(const std::string& path) const = 0;
    // The entries of folder `dir`, sorted by name; false when it is not one.
    virtual bool list_children(const std::string& dir,
                               std::vector<std::pair<std::string, Node>>& out) const = 0;

    std::shared_ptr<Handle> m_h;

  private:
    std::string full(const std::string& rel) const {
        return normalize_path(m_prefix.empty() ? rel : m_prefix + "/" + rel);
    }

    std::string where(const std::string& path) const { return m_description + ":" + path; }

    // The path and entry a path ends at after following links, as the
    // working tree would; nullopt when something on the way is missing.
    // Too many links throw, or with `loop` set it and give nullopt.
    std::optional<std::pair<std::string, Node>> follow(std::string path,
                                                       bool* loop = nullptr) const {
        for (int hops = 0; hops < 8; ++hops) {
            auto n = node(path);
            if (!n) {
                return std::nullopt;
            }
            if (n->kind != Kind::link) {
                return std::make_pair(std::move(path), *n);
            }
            std::string target = blob_text(m_h->repo.get(), n->id, where(path));
            path = join_path(parent_of(path), target);
        }
        if (loop != nullptr) {
            *loop = true;
            return std::nullopt;
        }
        throw runtime_error(where(path) + ": too many levels of symbolic links");
    }

    std::string m_prefix;
    std::string m_description;
};

class TreeFiles : public ObjectFiles {
  public:
    TreeFiles(std::shared_ptr<Handle> h, SharedTree root, std::string prefix,
              std::string description)
        : ObjectFiles(std::move(h), std::move(prefix), std::move(description)) {
        m_dirs.emplace("", std::move(root));
    }

  protected:
    std::optional<Node> node(const std::string& path) const override {
        if (path.empty()) {
            return Node{Kind::tree, *git_tree_id(m_dirs.at("").get())};
        }
        SharedTree parent = folder(parent_of(path));
        if (!parent) {
            return std::nullopt;
        }
        auto slash = path.rfind('/');
        std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
        const git_tree_entry* e = git_tree_entry_byname(parent.get(), name.c_str());
        if (e == nullptr) {
            return std::nullopt;
        }
        return Node{kind_of(git_tree_entry_filemode(e)), *git_tree_entry_id(e)};
    }

    bool list_children(const std::string& dir,
                       std::vector<std::pair<std::string, Node>>& out) const override {
        SharedTree t = folder(dir);
        if (!t) {
            return false;
        }
        std::size_t n = git_tree_entrycount(t.get());
        out.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const git_tree_entry* e = git_tree_entry_byindex(t.get(), i);
            out.emplace_back(git_tree_entry_name(e),
                             Node{kind_of(git_tree_entry_filemode(e)), *git_tree_entry_id(e)});
        }
        return true;
    }

  private:
    // The tree of folder `path`, kept: the loader reads thousands of files
    // in one folder, each looked up by name in it.
    SharedTree folder(const std::string& path) const {
        if (auto it = m_dirs.find(path); it != m_dirs.end()) {
            return it->second;
        }
        auto n = node(path);
        SharedTree t = n && n->kind == Kind::tree ? m_h->tree(n->id) : nullptr;
        m_dirs.emplace(path, t);
        return t;
    }

    mutable std::unordered_map<std::string, SharedTree> m_dirs;  // under the lock
};

class IndexFiles : public ObjectFiles {
  public:
    IndexFiles(std::shared_ptr<Handle> h, IndexPtr index, std::string prefix,
               std::string description)
        : ObjectFiles(std::move(h), std::move(prefix), std::move(description)),
          m_index(std::move(index)) {}

  protected:
    std::optional<Node> node(const std::string& path) const override {
        if (path.empty()) {
            return Node{Kind::tree, {}};
        }
        const git_index_entry* e = git_index_get_bypath(m_index.get(), path.c_str(), 0);
        if (e != nullptr && staged(*e)) {
            return Node{kind_of(static_cast<git_filemode_t>(e->mode)), e->id};
        }
        // The index holds files only: a folder is a prefix of their paths.
        std::size_t at = 0;
        int rc = git_index_find_prefix(&at, m_index.get(), (path + "/").c_str());
        if (rc == GIT_ENOTFOUND) {
            return std::nullopt;
        }
        check(rc, where_index(path));
        return Node{Kind::tree, {}};
    }

    bool list_children(const std::string& dir,
                       std::vector<std::pair<std::string, Node>>& out) const override {
        std::string prefix = dir.empty() ? "" : dir + "/";
        std::size_t at = 0;
        if (!prefix.empty()) {
            int rc = git_index_find_prefix(&at, m_index.get(), prefix.c_str());
            if (rc == GIT_ENOTFOUND) {
                return false;
            }
            check(rc, where_index(dir));
        }
        std::size_t n = git_index_entrycount(m_index.get());
        for (std::size_t i = at; i < n; ++i) {
            const git_index_entry* e = git_index_get_byindex(m_index.get(), i);
            std::string_view path = e->path;
            if (!text::starts_with(path, prefix)) {
                break;
            }
            std::string_view rest = path.substr(prefix.size());
            auto slash = rest.find('/');
            if (slash != std::string_view::npos) {
                // A folder's entries are consecutive: their paths share "name/".
                std::string_view name = rest.substr(0, slash);
                if (out.empty() || out.back().second.kind != Kind::tree ||
                    out.back().first != name) {
                    out.emplace_back(std::string(name), Node{Kind::tree, {}});
                }
                continue;
            }
            if (staged(*e)) {
                out.emplace_back(std::string(rest),
                                 Node{kind_of(static_cast<git_filemode_t>(e->mode)), e->id});
            }
        }
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        return true;
    }

  private:
    // Stage 0 and really staged: not a side of a conflict, not `git add -N`.
    static bool staged(const git_index_entry& e) {
        return GIT_INDEX_ENTRY_STAGE(&e) == 0 &&
               (e.flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD) == 0;
    }

    std::string where_index(const std::string& path) const { return "the index: " + path; }

    IndexPtr m_index;
};

}  // namespace

std::unique_ptr<GitFiles> make_tree_files(std::shared_ptr<Handle> h, SharedTree root,
                                          std::string prefix, std::string description) {
    return std::make_unique<TreeFiles>(std::move(h), std::move(root), std::move(prefix),
                                       std::move(description));
}

std::unique_ptr<GitFiles> make_index_files(std::shared_ptr<Handle> h, IndexPtr index,
                                           std::string prefix, std::string description) {
    return std::make_unique<IndexFiles>(std::move(h), std::move(index), std::move(prefix),
                                        std::move(description));
}

}  // namespace migcheck::git::detail
