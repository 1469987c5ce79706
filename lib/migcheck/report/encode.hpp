#pragma once

#include "migcheck/report/finding.hpp"
#include "migcheck/util/binary.hpp"

#include <vector>

namespace migcheck {

// Findings in the caches' binary encoding (util/binary.hpp): a count, then
// each finding's severity, code, file, line, column and message.
void encode_findings(binary::Writer& w, const std::vector<Finding>& findings);
// Appends the findings read to `out`; false when the bytes are damaged.
bool decode_findings(binary::Reader& r, std::vector<Finding>& out);

}  // namespace migcheck
