#pragma once
// A real git repository in a temporary directory, made with the git CLI, for
// the tests of lib/migcheck/git.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace migcheck::test {

class TempRepo {
  public:
    TempRepo() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "migcheck-git-XXXXXX").string();
        if (::mkdtemp(tmpl.data()) == nullptr) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_root = tmpl;
        git("init -q -b main");
    }
    ~TempRepo() {
        std::error_code ec;
        std::filesystem::remove_all(m_root, ec);
    }
    TempRepo(const TempRepo&) = delete;
    TempRepo& operator=(const TempRepo&) = delete;

    const std::string& root() const { return m_root; }
    std::string path(const std::string& rel) const { return m_root + "/" + rel; }

    // Runs `git ARGS` in the repository (ARGS as the shell reads them), with
    // an identity and no outside configuration, and returns its stdout
    // without the trailing newline. Throws when git fails.
    std::string git(const std::string& args, const std::string& env = "") const {
        std::string cmd = "cd '" + m_root + "' && env -u GIT_INDEX_FILE -u GIT_DIR " + env +
                          " GIT_CONFIG_NOSYSTEM=1 HOME='" + m_root +
                          "' git -c user.name=t -c user.email=t@t " + args + " 2>/dev/null";
        FILE* p = ::popen(cmd.c_str(), "r");
        if (p == nullptr) {
            throw std::runtime_error("popen failed");
        }
        std::string out;
        char buf[4096];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
            out.append(buf, n);
        }
        int rc = ::pclose(p);
        if (rc != 0) {
            throw std::runtime_error("git " + args + " failed");
        }
        while (!out.empty() && out.back() == '\n') {
            out.pop_back();
        }
        return out;
    }

    void write(const std::string& rel, const std::string& text) const {
        std::filesystem::path p = path(rel);
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
    }

    void remove(const std::string& rel) const { std::filesystem::remove(path(rel)); }

    // Stages everything and commits; returns the new commit's id.
    std::string commit(const std::string& message) const {
        git("add -A");
        git("commit -q --allow-empty -m '" + message + "'");
        return git("rev-parse HEAD");
    }

  private:
    std::string m_root;
};

// Sets an environment variable for one scope.
class ScopedEnv {
  public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) {
            m_old = old;
            m_had = true;
        }
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (m_had) {
            ::setenv(m_name, m_old.c_str(), 1);
        } else {
            ::unsetenv(m_name);
        }
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

  private:
    const char* m_name;
    std::string m_old;
    bool m_had = false;
};

}  // namespace migcheck::test
