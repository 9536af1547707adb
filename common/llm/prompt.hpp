#pragma once
// The request sent for a title: the instructions (the default below, or the user's prompt
// file) as the system message and the person's text as the user message. Keeping the text in
// its own message, never spliced into the instructions, makes "ignore the above" in a note
// just more note.

#include <cstddef>
#include <string>
#include <string_view>

namespace m2g::llm {

/// The built-in instructions (also shipped as examples/llm-prompt.txt).
extern const std::string_view k_default_prompt;

/// Text longer than this is cut (at a character boundary) before it is sent: a title needs the
/// start of a note, and long notes would cost tokens or overflow small local models.
inline constexpr size_t k_max_message_bytes = 6000;

/// Settings of the request body.
struct RequestSettings {
  std::string model;
  std::string prompt{k_default_prompt}; ///< the system message
  int max_tokens = 200;                 ///< 0: do not send max_tokens (models that reject it)
  bool json_mode = true;                ///< send response_format {"type": "json_object"}
};

/// Builds request bodies: everything but the note is serialized once, so each request costs
/// one escape of its own text, not of the whole prompt again.
class RequestBody {
public:
  explicit RequestBody(const RequestSettings& settings);
  /// The JSON body of POST {base}/chat/completions for `text`.
  std::string operator()(std::string_view text) const;

private:
  std::string m_prefix; ///< up to the user message's content
  std::string m_suffix; ///< after it
};

/// One body, for callers that send few requests.
std::string build_request_body(const RequestSettings& settings, std::string_view text);

/// "{base}/chat/completions", tolerating a trailing '/' on `base_url`.
std::string completions_url(std::string_view base_url);

} // namespace m2g::llm
