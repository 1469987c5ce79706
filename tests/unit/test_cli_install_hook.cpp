#include "migcheck/cli/install_hook.hpp"

#include <doctest/doctest.h>
#include <string>

using migcheck::cli::pre_commit_hook_text;

TEST_CASE("pre_commit_hook_text: the path of migcheck-staged, quoted for sh, in one line") {
    std::string plain = pre_commit_hook_text("");
    CHECK(plain.starts_with("#!/bin/sh\n"));
    CHECK(plain.find("\nMIGCHECK_STAGED_DEFAULT=''\n") != std::string::npos);
    CHECK(plain.find("exec \"$staged\" \"$@\"\n") != std::string::npos);

    std::string baked = pre_commit_hook_text("/opt/it's here/bin/migcheck-staged");
    CHECK(baked.find("\nMIGCHECK_STAGED_DEFAULT='/opt/it'\\''s here/bin/migcheck-staged'\n") !=
          std::string::npos);
    CHECK(baked.find("MIGCHECK_STAGED_DEFAULT=''") == std::string::npos);
    // Only that line differs.
    CHECK(baked.size() ==
          plain.size() + std::string("/opt/it'\\''s here/bin/migcheck-staged").size());
}
