#pragma once

#include <optional>
#include <string>
#include <vector>

// A new revision file as Alembic writes it: its id, its name from
// alembic.ini's file_template, and its text from script.py.mako.
namespace migcheck::generate {

// 12 random hex characters, as Alembic's rev_id() (uuid4().hex[-12:]).
std::string new_revision_id();

// When the revision is written, in local time, as Alembic's create_date.
struct CreateDate {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, microsecond = 0;
    long long epoch = 0;  // seconds since 1970, as int(create_date.timestamp())
};

CreateDate now();

// Python's str(datetime): "2024-02-19 16:02:47.530911", without the
// fraction when the microseconds are 0.
std::string to_string(const CreateDate& date);

// Alembic's slug: the message's \w+ words joined by "_", lower-cased, and,
// when longer than `truncate` characters, cut there back to the last "_"
// (then "_" added). Word characters are Python's \w: letters, digits and
// "_" of any script (punctuation, symbol and space blocks are not), and
// lower-casing covers Latin, Greek and Cyrillic.
std::string slug(const std::string& message, int truncate = 40);

// The file name (with ".py") that `file_template` gives, as Alembic's
// _rev_path: the template as alembic.ini holds it (configparser's "%%" is
// "%"), then Python's %-formatting with the tokens rev, slug, epoch, year,
// month, day, hour, minute, second (flags, width and precision as Python
// takes them: "%(month).2d", "%(minute)02d"). Throws usage_error naming
// `where` for an unknown token or conversion.
std::string file_name(const std::string& file_template, const std::string& rev,
                      const std::string& slug_text, const CreateDate& date,
                      const std::string& where);

// What fills script.py.mako.
struct RevisionText {
    std::string message;
    std::string revision;
    std::vector<std::string> down_revisions;  // empty: a base; several: a merge
    std::string create_date;
    std::vector<std::string> imports;  // extra import lines
    std::vector<std::string> upgrades;    // body lines, unindented
    std::vector<std::string> downgrades;
};

// Alembic 1.8's templates/generic/script.py.mako.
const std::string& default_template();

// The template filled in. Only the substitutions Alembic's own templates
// use are understood: ${message}, ${up_revision}, ${down_revision | comma,n},
// ${create_date}, ${repr(up_revision)}, ${repr(down_revision)},
// ${repr(branch_labels)}, ${repr(depends_on)}, ${imports if imports else ""},
// ${upgrades if upgrades else "pass"} and the same for downgrades; "##"
// comment lines are dropped as Mako drops them. A template with anything
// else (control lines, <% %> blocks, other expressions) gives nothing and
// says why in `why`.
std::optional<std::string> fill_template(const std::string& mako, const RevisionText& text,
                                         std::string& why);

}  // namespace migcheck::generate
