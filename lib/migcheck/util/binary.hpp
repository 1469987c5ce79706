#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

// A compact binary encoding for what the caches keep: fixed-size integers in
// the machine's order (a cache never leaves the machine that wrote it),
// strings as a u32 length and bytes.
namespace migcheck::binary {

class Writer {
  public:
    void u32(std::uint32_t v) { m_out.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void i32(int v) { u32(static_cast<std::uint32_t>(v)); }
    void u64(std::uint64_t v) { m_out.append(reinterpret_cast<const char*>(&v), sizeof v); }
    void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
    void str(std::string_view s) {
        u32(static_cast<std::uint32_t>(s.size()));
        m_out += s;
    }
    void strs(const std::vector<std::string>& v) {
        u32(static_cast<std::uint32_t>(v.size()));
        for (const auto& s : v) {
            str(s);
        }
    }
    std::string& out() { return m_out; }

  private:
    std::string m_out;
};

// Reads what Writer wrote; a read past the end clears ok() and yields zeros.
class Reader {
  public:
    explicit Reader(std::string_view in) : m_in(in) {}
    bool ok() const { return m_ok; }
    bool done() const { return m_pos == m_in.size(); }
    std::size_t pos() const { return m_pos; }
    template <class T>
    T fixed() {
        T v{};
        if (sizeof v > m_in.size() - m_pos) {
            m_ok = false;
            m_pos = m_in.size();
            return v;
        }
        std::memcpy(&v, m_in.data() + m_pos, sizeof v);
        m_pos += sizeof v;
        return v;
    }
    std::uint32_t u32() { return fixed<std::uint32_t>(); }
    int i32() { return static_cast<int>(u32()); }
    std::uint64_t u64() { return fixed<std::uint64_t>(); }
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
    std::string_view view() {
        std::uint32_t n = u32();
        if (n > m_in.size() - m_pos) {
            m_ok = false;
            m_pos = m_in.size();
            return {};
        }
        std::string_view s = m_in.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    void skip() { view(); }
    void str(std::string& out) { out.assign(view()); }
    void strs(std::vector<std::string>& out) {
        std::uint32_t n = u32();
        if (n == 0) {
            out.clear();
            return;
        }
        // Each string takes at least its length: a count beyond that is damage.
        if (n > (m_in.size() - m_pos) / sizeof(std::uint32_t)) {
            m_ok = false;
            return;
        }
        out.clear();
        out.reserve(n);
        for (std::uint32_t i = 0; i < n && m_ok; ++i) {
            out.emplace_back(view());
        }
    }

  private:
    std::string_view m_in;
    std::size_t m_pos = 0;
    bool m_ok = true;
};

// FNV-1a, 64 bits: names cache files; never trusted alone for identity.
inline std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    return h;
}

// The folder the caches live in: $MIGCHECK_CACHE_DIR, else
// $XDG_CACHE_HOME/migcheck, else ~/.cache/migcheck; "" when none can be named
// or MIGCHECK_NO_CACHE is set (and not "0").
inline std::string cache_dir() {
    if (const char* off = std::getenv("MIGCHECK_NO_CACHE"); off != nullptr && *off != '\0' &&
                                                            std::string(off) != "0") {
        return {};
    }
    if (const char* dir = std::getenv("MIGCHECK_CACHE_DIR"); dir != nullptr && *dir != '\0') {
        return dir;
    }
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
        return std::string(xdg) + "/migcheck";
    }
    if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
        return std::string(home) + "/.cache/migcheck";
    }
    return {};
}

}  // namespace migcheck::binary
