#pragma once
// Percent-encoding for URLs and application/x-www-form-urlencoded bodies. Telegram and GitHub
// take parameters in query strings and forms, so every caller builds them the same way here
// instead of concatenating strings by hand.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace m2g::http {

/// Ordered name/value pairs of a query string or a form body.
using Params = std::vector<std::pair<std::string, std::string>>;

/// `text` with every byte outside RFC 3986's unreserved set (ALPHA DIGIT - . _ ~) as %XX.
std::string url_encode(std::string_view text);

/// Undo percent-encoding; with `plus_as_space`, '+' becomes ' ' (form encoding). A '%' not
/// followed by two hex digits is kept as it is, so decoding never fails.
std::string url_decode(std::string_view text, bool plus_as_space = true);

/// "a=1&b=x%20y": each name and value url_encode()d, in the given order.
std::string form_encode(const Params& params);

/// Split "a=1&b=x+y" into decoded pairs; a field without '=' gets an empty value, empty fields
/// are skipped.
Params form_decode(std::string_view text);

/// `url` with `params` appended as a query string ('?' or '&', whichever fits).
std::string with_query(std::string url, const Params& params);

} // namespace m2g::http
