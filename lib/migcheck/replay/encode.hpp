#pragma once

#include "migcheck/replay/replay.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace migcheck::replay {

// A symbolic replay's result in the caches' binary encoding (schema/encode.hpp).
std::string encode_symbolic(const SymbolicResult& result);
// nullopt when the bytes are damaged.
std::optional<SymbolicResult> decode_symbolic(std::string_view bytes);

}  // namespace migcheck::replay
