// migcheck-replay: replays the migration history on a scratch SQLite database
// and checks that it builds config/schema.yaml and that every downgrade
// undoes its upgrade.
#include "migcheck/cli/replay_command.hpp"
#include "migcheck/cli/tool.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using namespace migcheck;
    CLI::App app{"Replay the Alembic history on a scratch SQLite database and check it."};
    std::string dir;
    std::string format = "text";
    bool no_down = false;
    cli::ReplayOptions opts;
    cli::add_directory_option(app, dir);
    app.add_option("--keep", opts.keep, "Keep the scratch database in this new file")
        ->option_text("PATH");
    app.add_option("--runner", opts.runner,
                   "builtin (migcheck runs the operations) or alembic (python3 -m alembic)")
        ->default_str("builtin");
    app.add_flag("--no-downgrade", no_down, "Upgrade only; do not walk back down");
    app.add_option("--format", format, "text, json or github")->default_str("text");
    return cli::run("migcheck-replay", app, argc, argv, [&] {
        opts.format = parse_format(format, true);
        opts.down_walk = !no_down;
        if (!opts.keep.empty() && opts.keep[0] != '/') {
            // Relative to where the command runs, as with git -C.
            opts.keep = cli::absolute_dir(dir) + "/" + opts.keep;
        }
        cli::Context ctx = cli::open_project(dir);
        return cli::replay_command(ctx, opts, std::cout, std::cerr);
    });
}
