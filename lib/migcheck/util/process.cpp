#include "migcheck/util/process.hpp"

#include "migcheck/util/error.hpp"
#include "migcheck/util/text.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace migcheck {
namespace {

// Closes a file descriptor when it goes out of scope.
struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

bool executable(const std::string& path) {
    return ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const std::string& cwd,
                          const std::map<std::string, std::string>& env) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string entry = *e;
        if (env.count(entry.substr(0, entry.find('='))) == 0) {
            env_strings.push_back(std::move(entry));
        }
    }
    for (const auto& [k, v] : env) {
        env_strings.push_back(k + "=" + v);
    }
    std::vector<char*> envp;
    for (auto& s : env_strings) {
        envp.push_back(s.data());
    }
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (auto& a : args) {
        argp.push_back(a.data());
    }
    argp.push_back(nullptr);

    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        throw runtime_error(std::string("cannot make a pipe: ") + std::strerror(errno));
    }
    Fd read_end{fds[0]};
    Fd write_end{fds[1]};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
    posix_spawn_file_actions_adddup2(&actions, write_end.fd, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    // The child starts in `cwd`: glibc 2.29+ has addchdir_np.
    posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    pid_t pid = 0;
    int rc = argv[0].find('/') == std::string::npos
                 ? ::posix_spawnp(&pid, argp[0], &actions, nullptr, argp.data(), envp.data())
                 : ::posix_spawn(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        throw runtime_error("cannot run " + argv[0] + ": " + std::strerror(rc));
    }
    ::close(write_end.fd);
    write_end.fd = -1;
    ProcessResult result;
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(read_end.fd, buf, sizeof buf);
        if (n > 0) {
            result.output.append(buf, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

std::string find_python(const std::vector<std::string>& modules) {
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("MIGCHECK_PYTHON"); env != nullptr && *env != '\0') {
        candidates.emplace_back(env);
    } else {
        candidates = {"/usr/bin/python3"};
        if (const char* path = std::getenv("PATH")) {
            for (const auto& dir : text::split(path, ':')) {
                if (!dir.empty() && executable(dir + "/python3")) {
                    candidates.push_back(dir + "/python3");
                }
            }
        }
    }
    std::string imports;
    for (const auto& m : modules) {
        imports += "import " + m + "; ";
    }
    for (const auto& c : candidates) {
        if (executable(c) && run_process({c, "-c", imports}, "/", {}).exit_code == 0) {
            return c;
        }
    }
    throw runtime_error("no Python can import " + text::join(modules, ", ") + " (tried " +
                        text::join(candidates, ", ") +
                        "); install them (apt-get install python3-alembic python3-sqlalchemy) "
                        "or set MIGCHECK_PYTHON");
}

}  // namespace migcheck
