#pragma once
// The real Transport: Bot API calls as JSON POSTs to API_URL/bot<TOKEN>/METHOD over the
// asynchronous common/http client, on the stage's event loop. The URL holds the token, so it is
// never logged; curl's errors come back redacted.

#include "common/http/sender.hpp"
#include "common/progress/telegram.hpp"

#include <string>

namespace m2g::progress {

class HttpTransport final : public Transport {
public:
  /// `api_url` like "https://api.telegram.org" (a trailing slash is ignored); `timeout` bounds
  /// each call, so a stalled connection becomes a retry instead of a stuck status message.
  HttpTransport(http::Sender& client, std::string api_url, const std::string& token, Millis timeout);

  void call(const Call& call, std::function<void(Reply)> done) override;

private:
  http::Sender& m_client;
  std::string m_base; // API_URL/bot<TOKEN>/
  Millis m_timeout;
};

} // namespace m2g::progress
