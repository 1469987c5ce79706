#include "migcheck/replay/encode.hpp"

#include "migcheck/schema/encode.hpp"
#include "migcheck/report/encode.hpp"

namespace migcheck::replay {

std::string encode_symbolic(const SymbolicResult& result) {
    binary::Writer w;
    schema::encode(w, result.head);
    encode_findings(w, result.findings);
    w.u32(result.complete ? 1 : 0);
    return std::move(w.out());
}

std::optional<SymbolicResult> decode_symbolic(std::string_view bytes) {
    binary::Reader r(bytes);
    SymbolicResult out;
    if (!schema::decode(r, out.head) || !decode_findings(r, out.findings)) {
        return std::nullopt;
    }
    out.complete = r.u32() != 0;
    if (!r.ok() || !r.done()) {
        return std::nullopt;
    }
    return out;
}

}  // namespace migcheck::replay
