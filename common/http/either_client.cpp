#include "common/http/either_client.hpp"

#include <cstdlib>

namespace m2g::http {

bool proxy_configured() {
  for (const char* name : {"http_proxy", "all_proxy", "ALL_PROXY"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') {
      return true;
    }
  }
  return false;
}

bool use_plain_client(std::string_view choice, std::string_view url, bool proxy) {
  if (choice == "plain") {
    return true;
  }
  return choice == "auto" && !proxy && plain_client_can_send(url);
}

EitherClient::EitherClient(event::Loop& loop, std::string choice, ClientOptions curl, PlainClientOptions plain)
    : m_loop(loop), m_choice(std::move(choice)), m_proxy(proxy_configured()), m_curl_options(curl),
      m_plain_options(plain) {}

EitherClient::~EitherClient() = default;

void EitherClient::send(ClientRequest request, std::function<void(ClientResponse&&)> done) {
  // Each client is made at its first request, so a stage that only ever needs one never pays
  // for the other (libcurl's global start-up above all).
  if (use_plain_client(m_choice, request.url, m_proxy)) {
    if (!m_plain) {
      m_plain = std::make_unique<PlainClient>(m_loop, m_plain_options);
    }
    m_plain->send(std::move(request), std::move(done));
    return;
  }
  if (!m_curl) {
    m_curl = std::make_unique<Client>(m_loop, m_curl_options);
  }
  m_curl->send(std::move(request), std::move(done));
}

size_t EitherClient::in_flight() const {
  return (m_plain ? m_plain->in_flight() : 0) + (m_curl ? m_curl->in_flight() : 0);
}

size_t EitherClient::queued() const {
  return (m_plain ? m_plain->queued() : 0) + (m_curl ? m_curl->queued() : 0);
}

} // namespace m2g::http
