// migcheck-staged: the pre-commit check. Fails when what is staged changes the
// models, config/schema.yaml or the migrations without the others.
#include "migcheck/cli/staged_command.hpp"
#include "migcheck/cli/tool.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

int main(int argc, char** argv) {
    using namespace migcheck;
    CLI::App app{"Check the staged change before a commit: the models, config/schema.yaml and "
                 "the Alembic migrations must change together."};
    std::string dir;
    std::string format = "text";
    cli::add_directory_option(app, dir);
    app.add_option("--format", format, "text, json or github")->default_str("text");
    return cli::run("migcheck-staged", app, argc, argv, [&] {
        return cli::staged_command({dir, parse_format(format, true)}, std::cout);
    });
}
