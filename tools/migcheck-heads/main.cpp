// migcheck-heads: fails when the migration history has more than one head or
// any graph problem, in the working tree or in a commit.
#include "migcheck/cli/history_commands.hpp"
#include "migcheck/cli/tool.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using namespace migcheck;
    CLI::App app{"Check that the Alembic history has one head and no graph problems."};
    std::string dir;
    std::string rev;
    std::string format = "text";
    cli::add_directory_option(app, dir);
    app.add_option("--rev", rev, "Check the history in this commit instead of the working tree");
    app.add_option("--format", format, "text, json or github")->default_str("text");
    return cli::run("migcheck-heads", app, argc, argv, [&] {
        Format f = parse_format(format, true);
        cli::Context ctx = rev.empty() ? cli::open_project(dir) : cli::open_project_at(dir, rev);
        return cli::check_heads_command(ctx, f, std::cout);
    });
}
