// manage_migrations: the developers' commands over an Alembic project.
#include "migcheck/cli/apply_commands.hpp"
#include "migcheck/cli/generate_command.hpp"
#include "migcheck/cli/history_commands.hpp"
#include "migcheck/cli/install_hook.hpp"
#include "migcheck/cli/tool.hpp"
#include "migcheck/cli/validate_command.hpp"
#include "migcheck/git/ignore.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using namespace migcheck;
    CLI::App app{"Alembic migrations without Python: history, heads, validate, generate, merge, apply, downgrade, stamp, current, pending, install-hook."};
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

    cli::DatabaseOptions database;
    std::string target;
    bool sql = false;
    bool purge = false;
    auto add_url = [&](CLI::App* cmd) {
        cmd->add_option("--url", database.url,
                        "Database URL (default: DATABASE_URL, then sqlalchemy.url in alembic.ini)");
    };
    auto* apply_cmd = app.add_subcommand("apply", "Upgrade the database to TARGET (default: every head)");
    apply_cmd->add_option("target", target, "head, heads, an id or prefix, +N, label@head, or FROM:TO with --sql");
    apply_cmd->add_flag("--sql", sql, "Print the SQL instead of running it");
    add_url(apply_cmd);
    auto* downgrade_cmd = app.add_subcommand("downgrade", "Downgrade the database to TARGET");
    downgrade_cmd->add_option("target", target, "base, an id or prefix, -N, or FROM:TO with --sql")
        ->required();
    downgrade_cmd->add_flag("--sql", sql, "Print the SQL instead of running it");
    add_url(downgrade_cmd);
    auto* stamp_cmd = app.add_subcommand("stamp", "Set the database's revision without running migrations");
    stamp_cmd->add_option("target", target, "base, head, heads, or a revision")->required();
    stamp_cmd->add_flag("--purge", purge, "Replace every version row, on any branch");
    add_url(stamp_cmd);
    auto* current_cmd = app.add_subcommand("current", "Show the database's revision");
    add_url(current_cmd);
    auto* pending_cmd = app.add_subcommand("pending", "List the revisions apply would run, in order");
    add_url(pending_cmd);

    cli::GenerateOptions generate;
    auto* generate_cmd = app.add_subcommand(
        "generate", "Write a revision that turns the history's schema into config/schema.yaml");
    generate_cmd->add_option("message", generate.message, "The revision's message");
    generate_cmd->add_option("-m,--message", generate.message, "The revision's message");
    generate_cmd->add_flag("--empty", generate.empty,
                           "Empty upgrade() and downgrade() (a merge when there are several heads)");
    generate_cmd->add_flag("--stdout", generate.to_stdout, "Print the file instead of writing it");
    generate_cmd->add_flag("--sql", generate.sql, "Print the SQL the revision would run on SQLite");
    generate_cmd->add_option("--rev-id", generate.rev_id, "The new revision's id (default: random)");
    generate_cmd->add_option("--head", generate.head,
                             "The head to build on, when there are several (an id or label@head)");
    auto* merge_cmd = app.add_subcommand(
        "merge", "Write a merge revision of REVISIONS (default: every head)");
    merge_cmd->add_option("revisions", generate.revisions, "Revisions to merge (default: heads)");
    merge_cmd->add_option("-m,--message", generate.message, "The revision's message")
        ->default_str("merge heads");
    merge_cmd->add_flag("--stdout", generate.to_stdout, "Print the file instead of writing it");
    merge_cmd->add_option("--rev-id", generate.rev_id, "The new revision's id (default: random)");

    bool force = false;
    auto* install_hook_cmd = app.add_subcommand(
        "install-hook", "Install the git pre-commit hook that runs migcheck-staged");
    install_hook_cmd->add_flag("--force", force, "Replace a pre-commit hook that is already there");

    return cli::run("manage_migrations", app, argc, argv, [&] {
        if (install_hook_cmd->parsed()) {
            return cli::install_hook_command(dir, force, std::cout, std::cerr);
        }
        if (validate_cmd->parsed()) {
            cli::ValidateOptions validate{parse_format(format, true), {}};
            cli::Context ctx = cli::open_project(dir);
            validate.ignored = git::ignored_paths(ctx.root);
            return cli::validate_command(ctx, validate, std::cout);
        }
        if (generate_cmd->parsed() || merge_cmd->parsed()) {
            cli::Context ctx = cli::open_project(dir);
            generate.ignored = git::ignored_paths(ctx.root);
            generate.merge = merge_cmd->parsed();
            if (generate.merge && generate.message.empty()) {
                generate.message = "merge heads";
            }
            return cli::generate_command(ctx, generate, std::cout, std::cerr);
        }
        cli::Context ctx = cli::open_project(dir);
        database.base_dir = cli::absolute_dir(dir);
        if (apply_cmd->parsed()) {
            return cli::apply_command(ctx, database, target, sql, std::cout, std::cerr);
        }
        if (downgrade_cmd->parsed()) {
            return cli::downgrade_command(ctx, database, target, sql, std::cout, std::cerr);
        }
        if (stamp_cmd->parsed()) {
            return cli::stamp_command(ctx, database, target, purge, std::cout, std::cerr);
        }
        if (current_cmd->parsed()) {
            return cli::current_command(ctx, database, std::cout, std::cerr);
        }
        if (pending_cmd->parsed()) {
            return cli::pending_command(ctx, database, std::cout, std::cerr);
        }
        if (history_cmd->parsed()) {
            history.format = parse_format(format, false);
            history.range_given = history_cmd->get_option("--rev-range")->count() > 0;
            return cli::history_command(ctx, history, std::cout, std::cerr);
        }
        return cli::heads_command(ctx, heads_verbose, parse_format(format, false), std::cout,
                                  std::cerr);
    });
}
