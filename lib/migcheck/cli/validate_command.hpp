#pragma once

#include "migcheck/cli/tool.hpp"
#include "migcheck/models/glob.hpp"
#include "migcheck/report/render.hpp"

#include <ostream>

namespace migcheck::cli {

struct ValidateOptions {
    Format format = Format::text;
    // What git ignores, so that model globs skip it; empty outside git.
    models::IgnoredPredicate ignored;
};

// `manage_migrations validate`: compares the models (the files the `models`
// globs find) with config/schema.yaml and reports every difference as a
// finding at the model's file and line, naming both places. Today only the
// models are compared; the JSON document keeps what each comparison found
// under its own key ("models"), so that the migrations can be added beside it.
//
// Throws usage_error when schema.yaml is missing or does not load. Returns 1
// when any finding is an error (a difference, a model file that does not
// parse, no model files at all), else 0.
int validate_command(const Context& ctx, const ValidateOptions& opts, std::ostream& out);

}  // namespace migcheck::cli
