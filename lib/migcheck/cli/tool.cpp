#include "migcheck/cli/tool.hpp"

#include "migcheck/util/error.hpp"

#include <CLI/CLI.hpp>
#include <climits>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace migcheck::cli {
std::string absolute_dir(const std::string& dir) {
    std::string path = dir.empty() ? "." : dir;
    char buf[PATH_MAX];
    if (::realpath(path.c_str(), buf) == nullptr) {
        throw usage_error("-C " + path + ": no such directory");
    }
    return buf;
}

int run(const char* tool, CLI::App& app, int argc, char** argv, const std::function<int()>& body) {
    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForAllHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForVersion& e) {
            return app.exit(e);
        } catch (const CLI::ParseError& e) {
            std::cerr << tool << ": error: " << e.what() << "\n"
                      << "Run '" << tool << " --help' for usage.\n";
            return static_cast<int>(ExitCode::usage);
        }
        return body();
    } catch (const Error& e) {
        std::cout.flush();
        std::cerr << tool << ": error: " << e.what() << "\n";
        return static_cast<int>(e.code());
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << tool << ": error: " << e.what() << "\n";
        return static_cast<int>(ExitCode::runtime);
    }
}

Context open_project(const std::string& dir) {
    Context c;
    c.root = config::find_root(absolute_dir(dir));
    c.files = disk_source(c.root);
    c.project = config::load_project(*c.files, c.root);
    return c;
}

void add_directory_option(CLI::App& app, std::string& dir) {
    app.add_option("-C", dir, "Run as if started in DIR (the project is found from there)")
        ->option_text("DIR");
}

}  // namespace migcheck::cli
