// Walking a range of commits.
#include "migcheck/git/libgit2.hpp"

namespace migcheck::git {

using namespace detail;

namespace {
using RevwalkPtr = std::unique_ptr<git_revwalk, Deleter<git_revwalk, git_revwalk_free>>;
}

std::vector<Commit> Repository::commits_between(const ObjectId& base, const ObjectId& head) const {
    std::lock_guard<std::mutex> lock(m_h->mutex);
    git_revwalk* raw = nullptr;
    check(git_revwalk_new(&raw, m_h->repo.get()), "cannot walk the history");
    RevwalkPtr walk(raw);
    check(git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE),
          "cannot walk the history");
    git_oid from = to_oid(head);
    git_oid hide = to_oid(base);
    check(git_revwalk_push(walk.get(), &from), "commit " + head.hex());
    check(git_revwalk_hide(walk.get(), &hide), "commit " + base.hex());
    std::vector<Commit> out;
    git_oid oid;
    int rc = 0;
    while ((rc = git_revwalk_next(&oid, walk.get())) == 0) {
        git_commit* c = nullptr;
        check(git_commit_lookup(&c, m_h->repo.get(), &oid), "commit " + to_id(oid).hex());
        CommitPtr commit(c);
        Commit item{to_id(oid), {}, {}};
        for (unsigned i = 0; i < git_commit_parentcount(commit.get()); ++i) {
            item.parents.push_back(to_id(*git_commit_parent_id(commit.get(), i)));
        }
        const char* summary = git_commit_summary(commit.get());
        item.summary = summary != nullptr ? summary : "";
        out.push_back(std::move(item));
    }
    if (rc != GIT_ITEROVER) {
        check(rc, "cannot walk the history");
    }
    return out;
}

}  // namespace migcheck::git
