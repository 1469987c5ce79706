#include "migcheck/cli/install_hook.hpp"

#include "migcheck/cli/pre_commit_hook.hpp"
#include "migcheck/cli/tool.hpp"
#include "migcheck/git/repository.hpp"
#include "migcheck/util/error.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace migcheck::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view default_line = "\nMIGCHECK_STAGED_DEFAULT=''\n";
constexpr std::string_view hook_marker = "\n# migcheck pre-commit hook:";

std::string sh_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

bool is_executable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
}

// The folder of the running executable, or "" when /proc cannot say.
std::string own_folder() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

// migcheck-staged next to this executable as installed (bin/), or as the
// build tree lays the tools out (tools/<tool>/<tool>); "" when neither.
std::string sibling_staged(const std::string& folder) {
    if (folder.empty()) {
        return {};
    }
    for (const std::string& candidate :
         {folder + "/migcheck-staged", folder + "/../migcheck-staged/migcheck-staged"}) {
        if (is_executable_file(candidate)) {
            return fs::path(candidate).lexically_normal().string();
        }
    }
    return {};
}

bool on_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (is_executable_file((dir.empty() ? "." : dir) + "/" + name)) {
            return true;
        }
    }
    return false;
}

std::string error_text(int err) { return std::strerror(err); }

// Writes `text` to `path` with mode 0755 through a temporary file in the same
// folder renamed over it, so that git never runs half a hook. `shown` names
// the file in errors.
void write_atomically(const std::string& path, const std::string& text, const std::string& shown) {
    std::string tmp = fs::path(path).parent_path().string() + "/.pre-commit.migcheck-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        throw runtime_error(shown + ": cannot create a temporary file beside it: " +
                            error_text(errno));
    }
    auto fail = [&](const std::string& what) {
        int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw runtime_error(shown + ": " + what + ": " + error_text(err));
    };
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("cannot write");
        }
        done += static_cast<std::size_t>(n);
    }
    // The hook's mode, whatever the umask.
    if (::fchmod(fd, 0755) != 0) {
        fail("cannot make it executable");
    }
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw runtime_error(shown + ": cannot write: " + error_text(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw runtime_error(shown + ": cannot write: " + error_text(err));
    }
}

std::string read_file(const std::string& path, const std::string& shown) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) {
        throw runtime_error(shown + ": cannot read: " + error_text(errno));
    }
    return text.str();
}

}  // namespace

std::string pre_commit_hook_text(const std::string& staged) {
    std::string text(pre_commit_hook_template);
    std::size_t at = text.find(default_line);
    if (at == std::string::npos) {
        throw runtime_error(
            "the compiled-in hooks/pre-commit has no MIGCHECK_STAGED_DEFAULT='' line");
    }
    if (!staged.empty()) {
        text.replace(at, default_line.size(),
                     "\nMIGCHECK_STAGED_DEFAULT=" + sh_quote(staged) + "\n");
    }
    return text;
}

int install_hook_command(const std::string& dir, bool force, std::ostream& out, std::ostream& err) {
    git::Repository repo = git::Repository::open(absolute_dir(dir));
    std::string top = repo.workdir();
    std::string hooks = repo.hooks_dir();
    std::string path = hooks + "/pre-commit";
    // Inside the working tree, as the user sees it from the top; else whole.
    std::string shown = path;
    if (path.starts_with(top + "/")) {
        shown = path.substr(top.size() + 1);
    }

    std::string folder = own_folder();
    std::string staged = sibling_staged(folder);
    std::string text = pre_commit_hook_text(staged);

    struct stat st {};
    bool exists = ::lstat(path.c_str(), &st) == 0;
    bool replacing = false;
    if (exists) {
        if (S_ISDIR(st.st_mode)) {
            throw usage_error(shown + ": is a folder, not a hook; move it away and run "
                                      "`manage_migrations install-hook` again");
        }
        std::string current = S_ISREG(st.st_mode) ? read_file(path, shown) : std::string();
        if (current == text && (st.st_mode & S_IXUSR) != 0) {
            out << "the migcheck pre-commit hook is already installed in " << shown << "\n";
            return static_cast<int>(ExitCode::ok);
        }
        if (!force && current != text) {
            if (current.find(hook_marker) != std::string::npos) {
                throw usage_error(shown + ": a migcheck pre-commit hook from another build or "
                                          "install is there; run `manage_migrations "
                                          "install-hook --force` to replace it");
            }
            throw usage_error(shown + ": a pre-commit hook already exists; add `migcheck-staged` "
                                      "to it by hand, or run `manage_migrations install-hook "
                                      "--force` to replace it");
        }
        replacing = current != text;
    } else {
        std::error_code ec;
        fs::create_directories(hooks, ec);
        if (ec) {
            throw runtime_error(hooks + ": cannot create the hooks folder: " + ec.message());
        }
    }
    write_atomically(path, text, shown);

    out << (replacing ? "replaced " : "installed ") << shown << ": each commit first runs "
        << (staged.empty() ? "migcheck-staged (from PATH)" : staged)
        << " on the staged files; `git commit --no-verify` skips it\n";
    if (staged.empty() && !on_path("migcheck-staged")) {
        err << "manage_migrations: warning: migcheck-staged is neither next to "
               "manage_migrations (in "
            << (folder.empty() ? std::string("its folder") : folder)
            << ") nor on PATH: commits fail until it is installed or MIGCHECK_STAGED names it\n";
    }
    return static_cast<int>(ExitCode::ok);
}

}  // namespace migcheck::cli
