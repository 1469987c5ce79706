#pragma once

#include "migcheck/report/finding.hpp"
#include "migcheck/schema/schema.hpp"
#include "migcheck/util/binary.hpp"

#include <vector>

// Schemas and findings in the caches' binary encoding, every field kept, so
// that a decoded schema compares and reports exactly as the one encoded.
namespace migcheck::schema {

void encode(binary::Writer& w, const Schema& schema);
// False, with `schema` unspecified, when the bytes are damaged.
bool decode(binary::Reader& r, Schema& schema);

void encode(binary::Writer& w, const std::vector<Finding>& findings);
bool decode(binary::Reader& r, std::vector<Finding>& findings);

}  // namespace migcheck::schema
