#pragma once

#include "migcheck/schema/schema.hpp"
#include "migcheck/util/binary.hpp"


// Schemas in the caches' binary encoding, every field kept, so that a
// decoded schema compares and reports exactly as the one encoded.
namespace migcheck::schema {

void encode(binary::Writer& w, const Schema& schema);
// False, with `schema` unspecified, when the bytes are damaged.
bool decode(binary::Reader& r, Schema& schema);

}  // namespace migcheck::schema
