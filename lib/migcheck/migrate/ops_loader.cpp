#include "migcheck/migrate/ops_loader.hpp"

#include "migcheck/ops/reader.hpp"
#include "migcheck/util/error.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace migcheck::migrate {
namespace {

std::unique_ptr<ops::RevisionOps> load(const FileSource& files, const revision::Revision& rev) {
    std::string why;
    try {
        if (auto bytes = files.read(rev.path)) {
            return std::make_unique<ops::RevisionOps>(ops::read_operations(*bytes, rev.path));
        }
        why = "the file is gone";
    } catch (const Error& e) {
        why = e.what();
    }
    auto out = std::make_unique<ops::RevisionOps>();
    for (ops::Body* body : {&out->upgrade, &out->downgrade}) {
        body->interpretable = false;
        body->stopped_at = {rev.path, 0};
        body->why = why;
    }
    return out;
}

}  // namespace

const ops::RevisionOps& OpsLoader::get(int revision) {
    auto& slot = m_loaded[revision];
    if (!slot) {
        slot = load(m_files, m_graph.at(revision));
    }
    return *slot;
}

void OpsLoader::preload(const std::vector<int>& revisions) {
    std::vector<int> todo;
    for (int r : revisions) {
        if (m_loaded.count(r) == 0) {
            todo.push_back(r);
        }
    }
    std::vector<std::unique_ptr<ops::RevisionOps>> results(todo.size());
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < todo.size(); i = next++) {
            results[i] = load(m_files, m_graph.at(todo[i]));
        }
    };
    unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < cores && t < todo.size(); ++t) {
        threads.emplace_back(work);
    }
    work();
    for (auto& t : threads) {
        t.join();
    }
    for (std::size_t i = 0; i < todo.size(); ++i) {
        m_loaded[todo[i]] = std::move(results[i]);
    }
}

}  // namespace migcheck::migrate
