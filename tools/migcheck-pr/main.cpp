// migcheck-pr: the pull-request job. Fails when a pull request changes the
// models, config/schema.yaml or the migrations without the others, rewrites
// a revision its base has, or would leave its base with a second head.
#include "migcheck/cli/pr_command.hpp"
#include "migcheck/cli/tool.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using namespace migcheck;
    CLI::App app{"Check a pull request: the models, config/schema.yaml and the Alembic "
                 "migrations change together, history stays append-only, and merging leaves "
                 "one head."};
    cli::PrOptions options;
    std::string format = "text";
    cli::add_directory_option(app, options.dir);
    app.add_option("--base", options.base, "The branch the pull request merges into")
        ->option_text("REF")
        ->required();
    app.add_option("--head", options.head, "The pull request's commit")
        ->option_text("REF")
        ->default_str("HEAD");
    app.add_flag("--per-commit", options.per_commit, "Require every commit to be consistent on its own");
    app.add_flag("--replay", options.replay,
                 "Also replay the head's history on a scratch SQLite database");
    app.add_option("--format", format, "text, json or github")->default_str("text");
    return cli::run("migcheck-pr", app, argc, argv, [&] {
        options.format = parse_format(format, true);
        return cli::pr_command(options, std::cout);
    });
}
