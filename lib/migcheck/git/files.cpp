// The FileSources over a commit's tree and over the index: one way of
// following symbolic links and listing folders over two ways of finding an
// entry.
#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"

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

    std::optional<std::string> read_blob(const ObjectId& id) const override {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        git_oid oid = to_oid(id);
        git_blob* raw = nullptr;
        if (git_blob_lookup(&raw, m_h->repo.get(), &oid) != 0) {
            return std::nullopt;
        }
        BlobPtr blob(raw);
        return std::string(static_cast<const char*>(git_blob_rawcontent(blob.get())),
                           static_cast<std::size_t>(git_blob_rawsize(blob.get())));
    }

    bool has_folder(const std::string& dir) const override {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        auto n = node(full(dir));
        return n && n->kind == Kind::tree;
    }

    std::optional<ObjectId> tree_id(const std::string& dir, bool hash) const override {
        std::lock_guard<std::mutex> lock(m_h->mutex);
        std::string path = full(dir);
        auto n = node(path);
        if (!n || n->kind != Kind::tree) {
            return std::nullopt;
        }
        return folder_id(path, *n, hash);
    }

  protected:
    // The tree id of folder `path` (from the repository's top), whose node
    // is `n`. The lock is held.
    virtual std::optional<ObjectId> folder_id(const std::string& /*path*/, const Node& n,
                                              bool /*hash*/) const {
        return to_id(n.id);
    }

    // The entry at `path` (from the repository's top; "" is the top), or
    // nullopt. The lock is held.
    virtual std::optional<Node> node(const std::string& path) const = 0;
    // The entries of folder `dir`, sorted by name; false when it is not one.
    virtual bool list_children(const std::string& dir,
                               std::vector<std::pair<std::string, Node>>& out) const = 0;

    std::shared_ptr<Handle> m_h;

    // The project root from the repository's top ("" at the top).
    const std::string& root() const { return m_prefix; }

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

// The index holds files only, sorted by path: a file is found by halving,
// and a folder is the run of entries whose paths begin with its name and '/'.
class IndexFiles : public ObjectFiles {
  public:
    IndexFiles(std::shared_ptr<Handle> h, std::shared_ptr<const IndexFile> index,
               std::string prefix, std::string description)
        : ObjectFiles(std::move(h), std::move(prefix), std::move(description)),
          m_index(std::move(index)) {}

    bool for_each_file(const std::function<void(std::string_view)>& each) const override {
        std::string prefix = root().empty() ? "" : root() + "/";
        auto [at, end] = m_index->prefixed(prefix);
        const auto& entries = m_index->entries();
        for (std::size_t i = at; i < end; ++i) {
            const IndexEntry& e = entries[i];
            if (e.staged() && kind_of(static_cast<git_filemode_t>(e.mode)) == Kind::blob) {
                each(e.path.substr(prefix.size()));
            }
        }
        return true;
    }

  protected:
    std::optional<Node> node(const std::string& path) const override {
        if (path.empty()) {
            return Node{Kind::tree, {}};
        }
        const auto& entries = m_index->entries();
        for (std::size_t i = m_index->lower_bound(path);
             i < entries.size() && entries[i].path == path; ++i) {
            if (entries[i].staged()) {
                return node_of(entries[i]);
            }
        }
        auto [first, last] = m_index->prefixed(path + "/");
        if (first == last) {
            return std::nullopt;
        }
        return Node{Kind::tree, {}};
    }

    bool list_children(const std::string& dir,
                       std::vector<std::pair<std::string, Node>>& out) const override {
        std::string prefix = dir.empty() ? "" : dir + "/";
        auto [at, end] = m_index->prefixed(prefix);
        if (at == end && !prefix.empty()) {
            return false;
        }
        const auto& entries = m_index->entries();
        for (std::size_t i = at; i < end;) {
            const IndexEntry& e = entries[i];
            std::string_view rest = e.path.substr(prefix.size());
            auto slash = rest.find('/');
            if (slash != std::string_view::npos) {
                // A folder: its entries are consecutive, and skipped at once.
                out.emplace_back(std::string(rest.substr(0, slash)), Node{Kind::tree, {}});
                std::string_view folder = e.path.substr(0, prefix.size() + slash + 1);
                i = static_cast<std::size_t>(
                    std::partition_point(entries.begin() + static_cast<std::ptrdiff_t>(i),
                                         entries.begin() + static_cast<std::ptrdiff_t>(end),
                                         [&](const IndexEntry& x) {
                                             return x.path.substr(0, folder.size()) == folder;
                                         }) -
                    entries.begin());
                continue;
            }
            if (e.staged()) {
                out.emplace_back(std::string(rest), node_of(e));
            }
            ++i;
        }
        // Paths sort "a-b" before "a/x": by name, folder "a" comes first.
        std::stable_sort(out.begin(), out.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        return true;
    }

    // The cache tree's id when git knows it, else the id hashed here from
    // the entries as `git write-tree` would write them.
    std::optional<ObjectId> folder_id(const std::string& path, const Node& /*n*/,
                                      bool hash) const override {
        if (!hash) {
            const CacheTreeNode* node = m_index->cache_tree(path);
            return node != nullptr && node->valid() ? node->id : std::nullopt;
        }
        std::string prefix = path.empty() ? "" : path + "/";
        auto [at, end] = m_index->prefixed(prefix);
        return hashed_tree(prefix, at, end);
    }

  private:
    // The tree of entries [at, end), all under `prefix`: the cache tree's id
    // when valid, else the bytes of the tree object hashed, its subfolders
    // first.
    std::optional<ObjectId> hashed_tree(const std::string& prefix, std::size_t at,
                                        std::size_t end) const {
        std::string_view dir(prefix.data(), prefix.empty() ? 0 : prefix.size() - 1);
        if (const CacheTreeNode* node = m_index->cache_tree(dir); node != nullptr && node->valid()) {
            return node->id;
        }
        const auto& entries = m_index->entries();
        struct Item {
            std::string_view name;  // a folder's with its '/', as git sorts it
            const char* mode;
            ObjectId id;
        };
        std::vector<Item> items;
        for (std::size_t i = at; i < end;) {
            const IndexEntry& e = entries[i];
            if (!e.staged()) {
                return std::nullopt;
            }
            std::string_view rest = e.path.substr(prefix.size());
            auto slash = rest.find('/');
            if (slash == std::string_view::npos) {
                items.push_back(Item{rest, mode_text(e.mode), e.id});
                ++i;
                continue;
            }
            std::string_view folder = e.path.substr(0, prefix.size() + slash + 1);
            std::size_t stop = i;
            while (stop < end && entries[stop].path.substr(0, folder.size()) == folder) {
                ++stop;
            }
            auto sub = hashed_tree(std::string(folder), i, stop);
            if (!sub) {
                return std::nullopt;
            }
            items.push_back(Item{rest.substr(0, slash + 1), "40000", *sub});
            i = stop;
        }
        // The index's order is the tree's (a folder sorts as its name and
        // '/', and its entries' paths go on with '/'): checked, not assumed.
        auto by_name = [](const Item& a, const Item& b) { return a.name < b.name; };
        if (!std::is_sorted(items.begin(), items.end(), by_name)) {
            std::sort(items.begin(), items.end(), by_name);
        }
        std::string bytes;
        std::size_t size = 0;
        for (const auto& item : items) {
            size += std::strlen(item.mode) + item.name.size() + 2 + item.id.bytes.size();
        }
        bytes.reserve(size);
        for (const auto& item : items) {
            std::string_view name = item.name;
            if (name.back() == '/') {
                name.remove_suffix(1);
            }
            bytes += item.mode;
            bytes += ' ';
            bytes += name;
            bytes += '\0';
            bytes.append(reinterpret_cast<const char*>(item.id.bytes.data()), item.id.bytes.size());
        }
        git_oid oid;
        check(git_odb_hash(&oid, bytes.data(), bytes.size(), GIT_OBJECT_TREE),
              "cannot hash a tree");
        return to_id(oid);
    }

    static const char* mode_text(std::uint32_t mode) {
        switch (mode) {
        case 0100755:
            return "100755";
        case 0120000:
            return "120000";
        case 0160000:
            return "160000";
        default:
            return "100644";
        }
    }

    static Node node_of(const IndexEntry& e) {
        return Node{kind_of(static_cast<git_filemode_t>(e.mode)), to_oid(e.id)};
    }

    std::shared_ptr<const IndexFile> m_index;
};

}  // namespace

std::unique_ptr<GitFiles> make_tree_files(std::shared_ptr<Handle> h, SharedTree root,
                                          std::string prefix, std::string description) {
    return std::make_unique<TreeFiles>(std::move(h), std::move(root), std::move(prefix),
                                       std::move(description));
}

std::unique_ptr<GitFiles> make_index_files(std::shared_ptr<Handle> h,
                                           std::shared_ptr<const IndexFile> index,
                                           std::string prefix, std::string description) {
    return std::make_unique<IndexFiles>(std::move(h), std::move(index), std::move(prefix),
                                        std::move(description));
}

}  // namespace migcheck::git::detail
