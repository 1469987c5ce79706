#include "migcheck/report/encode.hpp"

namespace migcheck {

void encode_findings(binary::Writer& w, const std::vector<Finding>& findings) {
    w.u32(static_cast<std::uint32_t>(findings.size()));
    for (const auto& f : findings) {
        w.i32(static_cast<int>(f.severity));
        w.str(f.code);
        w.str(f.file);
        w.i32(f.line);
        w.i32(f.column);
        w.str(f.message);
    }
}

bool decode_findings(binary::Reader& r, std::vector<Finding>& out) {
    std::uint32_t n = r.u32();
    for (std::uint32_t i = 0; i < n && r.ok(); ++i) {
        Finding f;
        f.severity = static_cast<Severity>(r.i32());
        r.str(f.code);
        r.str(f.file);
        f.line = r.i32();
        f.column = r.i32();
        r.str(f.message);
        if (r.ok()) {
            out.push_back(std::move(f));
        }
    }
    return r.ok();
}

}  // namespace migcheck
