// migcheck-heads: fails when the migration history has more than one head or
// any graph problem, in the working tree or in a commit; or, with --base and
// --refs, when branches add revisions that will leave several heads once merged.
#include "migcheck/cli/divergence_command.hpp"
#include "migcheck/cli/history_commands.hpp"
#include "migcheck/cli/tool.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using namespace migcheck;
    CLI::App app{"Check that the Alembic history has one head and no graph problems, in the "
                 "working tree, a commit, or across branches."};
    std::string dir;
    std::string rev;
    std::string base;
    std::vector<std::string> globs;
    std::string format = "text";
    cli::add_directory_option(app, dir);
    auto* rev_opt =
        app.add_option("--rev", rev, "Check the history in this commit instead of the working tree");
    auto* base_opt = app.add_option("--base", base,
                                    "Compare branches with this branch or commit (with --refs)")
                         ->option_text("REF");
    auto* refs_opt = app.add_option("--refs", globs,
                                    "Branches to compare with --base: a glob over full ref "
                                    "names, such as 'refs/heads/*' (repeatable)")
                         ->option_text("GLOB")
                         ->allow_extra_args(false);
    base_opt->needs(refs_opt);
    refs_opt->needs(base_opt);
    rev_opt->excludes(base_opt);
    app.add_option("--format", format, "text, json or github")->default_str("text");
    return cli::run("migcheck-heads", app, argc, argv, [&] {
        Format f = parse_format(format, true);
        if (!base.empty() || !globs.empty()) {
            return cli::divergence_command({dir, base, globs, f}, std::cout);
        }
        cli::Context ctx = rev.empty() ? cli::open_project(dir) : cli::open_project_at(dir, rev);
        return cli::check_heads_command(ctx, f, std::cout);
    });
}
