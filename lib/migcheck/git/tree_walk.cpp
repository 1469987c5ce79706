// Two folders' trees compared as bytes. A branch's version folder differs
// from the base's by a few entries among thousands, and both are sorted, so
// the bytes agree up to the first change and again after the last: those
// spans are found with memcmp, and only the entries between them are parsed
// and compared. Parsing every entry (as libgit2 does on lookup) and comparing
// them one by one cost twice as much again as reading the tree. Between the
// two spans, entries the same on both sides are passed over by their bytes
// too, unparsed.
#include "migcheck/git/libgit2.hpp"

#include "migcheck/util/error.hpp"

#include <algorithm>
#include <cstring>

namespace migcheck::git::detail {
namespace {

using Kind = EntryKind;
using Entry = RawEntry;

[[noreturn]] void malformed() { throw runtime_error("a tree object is malformed"); }

}  // namespace

std::string child_path(const std::string& dir, std::string_view name) {
    std::string out = dir;
    if (!out.empty()) {
        out += '/';
    }
    out += name;
    return out;
}

RawEntry parse_raw_entry(std::string_view data, std::size_t at) {
    RawEntry e;
    std::size_t i = at;
    while (i < data.size() && data[i] != ' ') {
        if (data[i] < '0' || data[i] > '7') {
            malformed();
        }
        e.mode = e.mode * 8 + static_cast<std::uint32_t>(data[i] - '0');
        ++i;
    }
    const char* nul = i < data.size()
                          ? static_cast<const char*>(std::memchr(data.data() + i + 1, '\0',
                                                                 data.size() - i - 1))
                          : nullptr;
    if (nul == nullptr) {
        malformed();
    }
    std::size_t name_end = static_cast<std::size_t>(nul - data.data());
    e.name = data.substr(i + 1, name_end - i - 1);
    if (name_end + 1 + GIT_OID_RAWSZ > data.size()) {
        malformed();
    }
    e.id = reinterpret_cast<const unsigned char*>(data.data() + name_end + 1);
    e.end = name_end + 1 + GIT_OID_RAWSZ;
    return e;
}

namespace {

Entry parse(std::string_view data, std::size_t at) { return parse_raw_entry(data, at); }

const std::vector<std::uint32_t>& starts(const RawTree& t) {
    if (t.starts.empty() && !t.data.empty()) {
        for (std::size_t at = 0; at < t.data.size(); at = parse(t.data, at).end) {
            t.starts.push_back(static_cast<std::uint32_t>(at));
        }
    }
    return t.starts;
}

// Git's order of entries: a folder sorts as its name followed by '/'.
int compare(const Entry& a, const Entry& b) {
    std::size_t n = std::min(a.name.size(), b.name.size());
    if (int c = std::memcmp(a.name.data(), b.name.data(), n); c != 0) {
        return c;
    }
    auto next = [&](const Entry& e) {
        return e.name.size() > n ? static_cast<unsigned char>(e.name[n])
                                 : (e.kind() == Kind::tree ? '/' : '\0');
    };
    return static_cast<int>(next(a)) - static_cast<int>(next(b));
}

// How many bytes two buffers share at their start (from_end: at their end).
std::size_t common(std::string_view a, std::string_view b, bool from_end) {
    std::size_t n = std::min(a.size(), b.size());
    constexpr std::size_t block = 4096;
    std::size_t done = 0;
    auto at = [&](std::string_view s, std::size_t k, std::size_t len) {
        return from_end ? s.data() + s.size() - k - len : s.data() + k;
    };
    while (done + block <= n && std::memcmp(at(a, done, block), at(b, done, block), block) == 0) {
        done += block;
    }
    while (done < n && *at(a, done, 1) == *at(b, done, 1)) {
        ++done;
    }
    return done;
}

class Walker {
  public:
    Walker(Handle& h, bool recursive, ChangeSink& sink, bool keep_b)
        : m_h(h), m_recursive(recursive), m_sink(sink), m_keep_b(keep_b) {}

    void trees(const std::string& path, const git_oid* a, const git_oid* b) {
        std::shared_ptr<const RawTree> ta = a != nullptr ? m_h.raw_tree(*a) : nullptr;
        std::shared_ptr<const RawTree> tb = b != nullptr ? m_h.raw_tree(*b, m_keep_b) : nullptr;
        if (ta && tb) {
            middle(path, *ta, *tb);
            return;
        }
        std::vector<Entry> entries;
        all(ta ? *ta : *tb, 0, entries);
        for (const Entry& e : entries) {
            side(path, e, ta ? ChangeStatus::deleted : ChangeStatus::added);
        }
    }

  private:
    // Every entry from byte `at` on.
    static void all(const RawTree& t, std::size_t at, std::vector<Entry>& out) {
        for (; at < t.data.size();) {
            out.push_back(parse(t.data, at));
            at = out.back().end;
        }
    }

    // Compares the entries of each tree that lie between the bytes both share
    // at their start and at their end. An entry of `a` whose bytes are the
    // next ones of `b` is the same entry: one memcmp, nothing parsed. A stale
    // branch lacks thousands of the base's entries, spread among the ones
    // it has, so that is most of them.
    void middle(const std::string& path, const RawTree& a, const RawTree& b) {
        const std::vector<std::uint32_t>& sa = starts(a);
        // Entries wholly inside the shared start are the same in both, at the
        // same places.
        std::size_t prefix = common(a.data, b.data, false);
        std::size_t first = static_cast<std::size_t>(
            std::upper_bound(sa.begin(), sa.end(), prefix) - sa.begin());
        first = first == 0 ? 0 : first - 1;
        std::size_t from = first < sa.size() ? sa[first] : a.data.size();
        // Entries of `a` wholly inside the shared end, from an entry of `a`
        // at which `b`'s own entries also start, are the same in both.
        std::size_t suffix = common(a.data, b.data, true);
        std::size_t last = static_cast<std::size_t>(
            std::lower_bound(sa.begin(), sa.end(), a.data.size() - suffix) - sa.begin());
        last = std::max(last, first);
        auto in_b = [&](std::size_t k) {
            std::size_t off = k < sa.size() ? sa[k] : a.data.size();
            return off + b.data.size() - a.data.size();  // may wrap: checked below
        };
        while (last < sa.size() && (in_b(last) < from || in_b(last) > b.data.size())) {
            ++last;
        }
        std::size_t to_b = last < sa.size() ? in_b(last) : b.data.size();
        // When b's entries turn out not to meet a's at to_b, both are
        // compared to their ends.
        auto to_ends = [&] {
            last = sa.size();
            to_b = b.data.size();
        };
        auto end_of = [&](std::size_t k) { return k + 1 < sa.size() ? sa[k + 1] : a.data.size(); };
        std::size_t i = first;
        std::size_t j = from;
        bool tail_meets = false;  // b's entries from j on end at to_b
        for (;;) {
            if (j > to_b) {
                to_ends();
            }
            if (i == last && j == to_b) {
                return;
            }
            if (i < last && j < to_b) {
                std::size_t len = end_of(i) - sa[i];
                if (j + len <= b.data.size() &&
                    std::memcmp(a.data.data() + sa[i], b.data.data() + j, len) == 0) {
                    ++i;
                    j += len;
                    continue;
                }
                Entry ea = parse(a.data, sa[i]);
                Entry eb = parse(b.data, j);
                int cmp = compare(ea, eb);
                if (cmp < 0) {
                    side(path, ea, ChangeStatus::deleted);
                    ++i;
                } else if (cmp > 0) {
                    side(path, eb, ChangeStatus::added);
                    j = eb.end;
                } else {
                    pair(path, ea, eb);
                    ++i;
                    j = eb.end;
                }
                continue;
            }
            if (i < last) {  // j == to_b: b's entries meet a's there
                side(path, parse(a.data, sa[i++]), ChangeStatus::deleted);
                continue;
            }
            if (!tail_meets) {
                std::size_t at = j;
                while (at < to_b) {
                    at = parse(b.data, at).end;
                }
                if (at != to_b) {
                    to_ends();
                    continue;
                }
                tail_meets = true;
            }
            Entry eb = parse(b.data, j);
            side(path, eb, ChangeStatus::added);
            j = eb.end;
        }
    }

    void pair(const std::string& dir, const Entry& a, const Entry& b) {
        if (std::memcmp(a.id, b.id, GIT_OID_RAWSZ) == 0 && a.normal_mode() == b.normal_mode()) {
            return;
        }
        Kind ka = a.kind();
        Kind kb = b.kind();
        if (ka == Kind::tree && kb == Kind::tree) {
            if (m_recursive) {
                git_oid oa = a.oid();
                git_oid ob = b.oid();
                trees(child_path(dir, a.name), &oa, &ob);
            }
        } else if (ka != Kind::tree && ka != Kind::other && kb != Kind::tree &&
                   kb != Kind::other) {
            git_oid oa = a.oid();
            git_oid ob = b.oid();
            m_sink.file(ChangeStatus::modified, dir, b.name, &oa, &ob, kb == Kind::link);
        } else {
            side(dir, a, ChangeStatus::deleted);
            side(dir, b, ChangeStatus::added);
        }
    }

    void side(const std::string& dir, const Entry& e, ChangeStatus status) {
        Kind k = e.kind();
        if (k == Kind::tree) {
            if (m_recursive) {
                git_oid o = e.oid();
                trees(child_path(dir, e.name), status == ChangeStatus::deleted ? &o : nullptr,
                      status == ChangeStatus::added ? &o : nullptr);
            }
            return;
        }
        if (k == Kind::other) {
            return;
        }
        git_oid o = e.oid();
        bool deleted = status == ChangeStatus::deleted;
        m_sink.file(status, dir, e.name, deleted ? &o : nullptr, deleted ? nullptr : &o,
                    k == Kind::link);
    }

    Handle& m_h;
    bool m_recursive;
    ChangeSink& m_sink;
    bool m_keep_b;
};

}  // namespace

void ChangeList::file(ChangeStatus status, const std::string& dir, std::string_view name,
                      const git_oid* old_id, const git_oid* new_id, bool link) {
    // A stale branch has thousands of these: the path is built once and
    // copied once.
    std::string path = child_path(dir, name);
    Change c{status, path, {}, std::nullopt, std::nullopt, link};
    c.old_path = std::move(path);
    if (old_id != nullptr) {
        c.old_blob = to_id(*old_id);
    }
    if (new_id != nullptr) {
        c.new_blob = to_id(*new_id);
    }
    m_out.push_back(std::move(c));
}

void walk_trees(Handle& h, const std::string& path, const git_oid* a, const git_oid* b,
                bool recursive, ChangeSink& sink, bool keep_b) {
    if (a != nullptr && b != nullptr && git_oid_equal(a, b) != 0) {
        return;
    }
    Walker(h, recursive, sink, keep_b).trees(path, a, b);
}

void walk_trees(Handle& h, const std::string& path, const git_oid* a, const git_oid* b,
                bool recursive, std::vector<Change>& out) {
    ChangeList list(out);
    walk_trees(h, path, a, b, recursive, list);
}

}  // namespace migcheck::git::detail
