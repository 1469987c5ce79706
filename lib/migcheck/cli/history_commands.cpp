#include "migcheck/cli/history_commands.hpp"

#include "migcheck/cli/loaded_history.hpp"
#include "migcheck/revision/format.hpp"
#include "migcheck/revision/graph.hpp"
#include "migcheck/revision/loader.hpp"
#include "migcheck/util/error.hpp"

namespace migcheck::cli {
namespace {

int exit_for(const std::vector<Finding>& findings) {
    return static_cast<int>(has_errors(findings) ? ExitCode::check_failed : ExitCode::ok);
}

void diagnostics(std::ostream& err, const std::vector<Finding>& findings) {
    render_text(err, findings, false);
}

// What revision_json() and verbose_entry() show, beyond the graph.
constexpr revision::HeaderText json_text =
    revision::HeaderText::message | revision::HeaderText::create_date;
constexpr revision::HeaderText verbose_text = revision::HeaderText::doc;

// Thousands of lines leave in a few large writes, not one stream insertion
// each: collected in `text`, written out whenever it holds 64 KiB, so the
// buffer stays small.
void write_some(std::ostream& out, std::string& text, bool all = false) {
    if (all || text.size() >= std::size_t{1} << 16) {
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        text.clear();
    }
}

}  // namespace

int history_command(const Context& ctx, const HistoryOptions& opts, std::ostream& out,
                    std::ostream& err) {
    LoadedGraph& b = load_graph(ctx, opts.format == Format::json ? json_text
                          : opts.verbose               ? verbose_text
                                                       : revision::HeaderText::message);
    std::string lower;
    std::string upper;
    if (opts.range_given) {
        auto colon = opts.range.find(':');
        if (colon == std::string::npos) {
            throw usage_error("-r " + opts.range +
                              ": history range requires [start]:[end], [start]:, or :[end]");
        }
        lower = opts.range.substr(0, colon);
        upper = opts.range.substr(colon + 1);
        auto trim_ws = [](std::string s) {
            while (!s.empty() && s.front() == ' ') {
                s.erase(s.begin());
            }
            while (!s.empty() && s.back() == ' ') {
                s.pop_back();
            }
            return s;
        };
        lower = trim_ws(lower);
        upper = trim_ws(upper);
        if (lower == "current" || upper == "current") {
            throw usage_error("-r " + opts.range +
                              ": 'current' is the database's revision, and history reads only "
                              "the revision files; give a revision id, a branch label, head or "
                              "base");
        }
    }
    std::vector<int> order;
    try {
        order = b.graph.history(lower, upper);
    } catch (const revision::ResolutionError& e) {
        throw usage_error(std::string("-r ") + opts.range + ": " + e.what());
    }
    if (opts.format == Format::json) {
        nlohmann::json doc;
        doc["version"] = json_version;
        doc["revisions"] = nlohmann::json::array();
        for (int i : order) {
            doc["revisions"].push_back(revision::revision_json(b.graph, i));
        }
        doc["findings"] = findings_json(b.findings);
        out << dump_json(doc) << "\n";
    } else {
        std::string text;
        text.reserve((std::size_t{1} << 16) + 4096);
        for (int i : order) {
            if (opts.verbose) {
                text += revision::verbose_entry(b.graph, i, ctx.root);
            } else {
                revision::append_history_line(text, b.graph, i);
            }
            text += '\n';
            write_some(out, text);
        }
        write_some(out, text, true);
        diagnostics(err, b.findings);
    }
    return exit_for(b.findings);
}

int heads_command(const Context& ctx, bool verbose, Format format, std::ostream& out,
                  std::ostream& err) {
    LoadedGraph& b = load_graph(ctx, format == Format::json ? json_text
                          : verbose              ? verbose_text
                                                 : revision::HeaderText::none);
    std::vector<int> heads = b.graph.heads();
    if (format == Format::json) {
        nlohmann::json doc;
        doc["version"] = json_version;
        doc["heads"] = nlohmann::json::array();
        for (int h : heads) {
            doc["heads"].push_back(revision::revision_json(b.graph, h));
        }
        doc["findings"] = findings_json(b.findings);
        out << dump_json(doc) << "\n";
    } else {
        std::string text;
        for (int h : heads) {
            if (verbose) {
                text += revision::verbose_entry(b.graph, h, ctx.root);
            } else {
                revision::append_heads_line(text, b.graph, h);
            }
            text += '\n';
            write_some(out, text);
        }
        write_some(out, text, true);
        diagnostics(err, b.findings);
    }
    return exit_for(b.findings);
}

int check_heads_command(const Context& ctx, Format format, std::ostream& out) {
    LoadedGraph& b = load_graph(ctx, revision::HeaderText::none);
    std::vector<Finding> heads_findings = revision::check_heads(b.graph, ctx.project.settings.heads);
    apply_severities(heads_findings, ctx.project.settings);
    b.findings.insert(b.findings.end(), heads_findings.begin(), heads_findings.end());
    sort_findings(b.findings);
    std::vector<int> heads = b.graph.heads();
    if (format == Format::json) {
        nlohmann::json doc;
        doc["version"] = json_version;
        doc["source"] = ctx.files->description();
        doc["revisions"] = b.graph.size();
        doc["heads"] = nlohmann::json::array();
        for (int h : heads) {
            doc["heads"].push_back(b.graph.at(h).id);
        }
        doc["findings"] = findings_json(b.findings);
        doc["ok"] = !has_errors(b.findings);
        out << dump_json(doc) << "\n";
    } else if (format == Format::github) {
        render_github(out, b.findings);
    } else {
        render_text(out, b.findings, use_colour());
        std::vector<std::string> ids;
        for (int h : heads) {
            ids.push_back(b.graph.at(h).id);
        }
        out << b.graph.size() << (b.graph.size() == 1 ? " revision, " : " revisions, ")
            << heads.size() << (heads.size() == 1 ? " head" : " heads");
        if (!ids.empty()) {
            std::string joined;
            for (const auto& id : ids) {
                joined += (joined.empty() ? "" : ", ") + id;
            }
            out << " (" << joined << ")";
        }
        out << " in " << ctx.files->description() << ": " << summary(b.findings) << "\n";
    }
    return exit_for(b.findings);
}

}  // namespace migcheck::cli
