// manage_migrations: the developers' commands over an Alembic project.
#include "migcheck/cli/history_commands.hpp"
#include "migcheck/cli/tool.hpp"
#include "migcheck/cli/validate_command.hpp"
#include "migcheck/git/ignore.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using namespace migcheck;
    CLI::App app{"Alembic migrations without Python: history, heads, validate."};
    app.require_subcommand(1);
    app.fallthrough();
    std::string dir;
    cli::add_directory_option(app, dir);

    std::string format = "text";
    cli::HistoryOptions history;
    auto* history_cmd = app.add_subcommand("history", "List revisions, newest first, as Alembic does");
    history_cmd->add_option("-r,--rev-range", history.range, "Range START:END (either may be empty)");
    history_cmd->add_flag("-v,--verbose", history.verbose, "Show each revision in full");
    history_cmd->add_option("--format", format, "text or json")->default_str("text");

    bool heads_verbose = false;
    auto* heads_cmd = app.add_subcommand("heads", "Show every head, as `alembic heads` does");
    heads_cmd->add_flag("-v,--verbose", heads_verbose, "Show each head in full");
    heads_cmd->add_option("--format", format, "text or json")->default_str("text");

    auto* validate_cmd = app.add_subcommand(
        "validate", "Check that the models and config/schema.yaml declare the same schema");
    validate_cmd->add_option("--format", format, "text, json or github")->default_str("text");

    return cli::run("manage_migrations", app, argc, argv, [&] {
        if (validate_cmd->parsed()) {
            cli::ValidateOptions validate{parse_format(format, true), {}};
            cli::Context ctx = cli::open_project(dir);
            validate.ignored = git::ignored_paths(ctx.root);
            return cli::validate_command(ctx, validate, std::cout);
        }
        cli::Context ctx = cli::open_project(dir);
        if (history_cmd->parsed()) {
            history.format = parse_format(format, false);
            history.range_given = history_cmd->get_option("--rev-range")->count() > 0;
            return cli::history_command(ctx, history, std::cout, std::cerr);
        }
        return cli::heads_command(ctx, heads_verbose, parse_format(format, false), std::cout,
                                  std::cerr);
    });
}
