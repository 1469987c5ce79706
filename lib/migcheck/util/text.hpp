#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace migcheck::text {

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The closest candidate to `word` within a distance that makes it a plausible
// typo, or "" when none is close.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

std::string_view trim(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
bool starts_with(std::string_view s, std::string_view prefix);
std::string to_lower(std::string_view s);
std::string join(const std::vector<std::string>& parts, std::string_view sep);

// Checks that `bytes` is valid UTF-8; on failure returns the byte offset of the
// first bad sequence.
bool valid_utf8(std::string_view bytes, std::size_t* bad_offset);

// Encodes one code point as UTF-8 onto `out`.
void append_utf8(std::string& out, char32_t cp);

}  // namespace migcheck::text
