#pragma once

#include "migcheck/config/project.hpp"
#include "migcheck/revision/revision.hpp"
#include "migcheck/util/file_source.hpp"

#include <vector>

namespace migcheck::revision {

struct LoadedHistory {
    std::vector<Revision> revisions;  // in load order
    std::vector<Finding> findings;    // files that could not be read
    std::vector<std::string> files;   // every revision file found, in load order
};

// Finds and reads every revision file as Alembic does: `*.py` in each version
// location (files sorted by name, then subfolders when recursive), skipping
// __init__*, editor lock files and __pycache__. Throws usage_error when
// alembic.ini is missing or a version location does not exist.
// `cache_root` names the project whose header cache (revision/cache.hpp) to
// use for files that have stamps; "" reads every file afresh. `text` is the
// header text the caller shows: revisions from the cache carry only that.
LoadedHistory load_history(const FileSource& files, const config::AlembicSettings& alembic,
                           const std::string& cache_root = "",
                           HeaderText text = HeaderText::all);

}  // namespace migcheck::revision
