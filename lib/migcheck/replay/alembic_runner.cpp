#include "migcheck/replay/alembic_runner.hpp"

#include "migcheck/db/connection.hpp"
#include "migcheck/db/version_table.hpp"
#include "migcheck/sql/introspect.hpp"
#include "migcheck/util/error.hpp"
#include "migcheck/util/file_source.hpp"
#include "migcheck/util/process.hpp"
#include "migcheck/util/text.hpp"

#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace migcheck::replay {
namespace {

// A temporary folder, removed with what it holds.
class TempDir {
  public:
    TempDir() {
        std::string tmpl = "/tmp/migcheck-replay-XXXXXX";
        if (::mkdtemp(tmpl.data()) == nullptr) {
            throw runtime_error("cannot make a temporary folder in /tmp");
        }
        m_path = tmpl;
    }
    ~TempDir() {
        for (const char* name : {"alembic.ini", "scratch.db", "scratch.db-journal"}) {
            ::unlink((m_path + "/" + name).c_str());
        }
        ::rmdir(m_path.c_str());
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return m_path; }

  private:
    std::string m_path;
};

// The last lines of Alembic's output: the traceback's end says what failed.
std::string tail(const std::string& output, std::size_t lines) {
    std::vector<std::string> all = text::split(output, '\n');
    while (!all.empty() && text::trim(all.back()).empty()) {
        all.pop_back();
    }
    std::size_t start = all.size() > lines ? all.size() - lines : 0;
    std::vector<std::string> kept(all.begin() + static_cast<std::ptrdiff_t>(start), all.end());
    return text::join(kept, "\n");
}

Finding failed(const config::AlembicSettings& alembic, const std::string& message) {
    Finding f;
    f.code = "replay-failed";
    f.file = alembic.ini_path;
    f.line = 0;
    f.message = message;
    return f;
}

}  // namespace

std::string rewrite_alembic_ini(const std::string& text, const std::string& url,
                                const std::string& here) {
    std::string escaped_url;
    for (char c : url) {
        escaped_url += c;
        if (c == '%') {
            escaped_url += '%';
        }
    }
    std::string out;
    bool in_main = false;
    bool skipping_continuation = false;
    bool written = false;
    for (const auto& raw : text::split(text, '\n')) {
        std::string line = raw;
        std::string_view t = text::trim(line);
        bool indented = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (skipping_continuation && indented && !t.empty()) {
            continue;
        }
        skipping_continuation = false;
        if (!t.empty() && t.front() == '[') {
            if (in_main && !written) {
                out += "sqlalchemy.url = " + escaped_url + "\n";
                written = true;
            }
            in_main = t == "[alembic]";
        } else if (in_main && !indented && text::starts_with(t, "sqlalchemy.url")) {
            std::string_view rest = text::trim(t.substr(std::string_view("sqlalchemy.url").size()));
            if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) {
                out += "sqlalchemy.url = " + escaped_url + "\n";
                written = true;
                skipping_continuation = true;
                continue;
            }
        }
        std::string replaced;
        for (std::size_t i = 0; i < line.size();) {
            if (line.compare(i, 8, "%(here)s") == 0) {
                for (char c : here) {
                    replaced += c;
                    if (c == '%') {
                        replaced += '%';
                    }
                }
                i += 8;
            } else {
                replaced += line[i++];
            }
        }
        out += replaced + "\n";
    }
    if (in_main && !written) {
        out += "sqlalchemy.url = " + escaped_url + "\n";
    }
    return out;
}

AlembicRun replay_with_alembic(const config::AlembicSettings& alembic,
                               const AlembicRunOptions& options) {
    AlembicRun run;
    run.python = find_python({"alembic", "sqlalchemy"});
    TempDir tmp;
    std::string db_path = options.keep_path.empty() ? tmp.path() + "/scratch.db" : options.keep_path;
    if (!options.keep_path.empty()) {
        db::open_scratch(options.keep_path);  // refuses an existing file; creates it empty
    }
    std::string ini_abs = options.root + "/" + alembic.ini_path;
    std::optional<std::string> ini_text = read_disk_file(ini_abs);
    if (!ini_text) {
        throw usage_error(alembic.ini_path + ": not found");
    }
    std::string here = ini_abs.substr(0, ini_abs.rfind('/'));
    std::string url = "sqlite:///" + db_path;
    std::string tmp_ini = tmp.path() + "/alembic.ini";
    {
        std::ofstream f(tmp_ini);
        f << rewrite_alembic_ini(*ini_text, url, here);
        if (!f) {
            throw runtime_error(tmp_ini + ": cannot write the temporary alembic.ini");
        }
    }
    std::map<std::string, std::string> env = {{"DATABASE_URL", url}};
    auto alembic_cmd = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv = {run.python, "-m", "alembic", "-c", tmp_ini};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process(argv, here, env);
    };
    ProcessResult up = alembic_cmd({"upgrade", "heads"});
    if (up.exit_code != 0) {
        run.findings.push_back(failed(alembic, "`alembic upgrade heads` on the scratch database "
                                               "failed (exit " + std::to_string(up.exit_code) +
                                               "):\n" + tail(up.output, 12)));
        return run;
    }
    db::Target target{url, "scratch", db_path, false};
    db::DatabasePtr database = db::open_database(target, false);
    if (!database || !db::VersionTable(*database, alembic.version_table).exists()) {
        run.findings.push_back(failed(
            alembic, "`alembic upgrade heads` ran, but the scratch database " + db_path +
                         " has no " + alembic.version_table +
                         " table: env.py migrated another database; make env.py take its URL "
                         "from sqlalchemy.url (config.get_main_option) or DATABASE_URL"));
        return run;
    }
    run.complete = true;
    run.head = sql::introspect(*database, "the scratch database", alembic.version_table);
    if (!options.down_walk) {
        return run;
    }
    database.reset();
    ProcessResult down = alembic_cmd({"downgrade", "base"});
    if (down.exit_code != 0) {
        run.findings.push_back(failed(alembic, "`alembic downgrade base` on the scratch database "
                                               "failed (exit " + std::to_string(down.exit_code) +
                                               "):\n" + tail(down.output, 12)));
        return run;
    }
    database = db::open_database(target, false);
    schema::Schema left = sql::introspect(*database, "the scratch database", alembic.version_table);
    std::vector<std::string> rows = db::VersionTable(*database, alembic.version_table).rows();
    if (!left.tables.empty() || !rows.empty()) {
        std::vector<std::string> names;
        for (const auto& t : left.tables) {
            names.push_back(t.name);
        }
        Finding f = failed(alembic, "after `alembic downgrade base` the scratch database still "
                                    "holds " +
                                        (names.empty() ? std::string("version rows ") + text::join(rows, ", ")
                                                       : "the tables " + text::join(names, ", ")) +
                                        ": some downgrade() does not undo its upgrade()");
        f.code = "downgrade-mismatch";
        run.findings.push_back(f);
        return run;
    }
    if (!options.keep_path.empty()) {
        // A kept database is for looking at the head: up once more.
        database.reset();
        ProcessResult again = alembic_cmd({"upgrade", "heads"});
        if (again.exit_code != 0) {
            run.findings.push_back(failed(alembic, "`alembic upgrade heads` after the downgrade "
                                                   "failed (exit " +
                                                       std::to_string(again.exit_code) + "):\n" +
                                                       tail(again.output, 12)));
        }
    }
    return run;
}

}  // namespace migcheck::replay
