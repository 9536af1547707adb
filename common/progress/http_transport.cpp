#include "common/progress/http_transport.hpp"

#include "common/jsonl/line.hpp"

namespace m2g::progress {

HttpTransport::HttpTransport(http::Sender& client, std::string api_url, const std::string& token, Millis timeout)
    : m_client(client), m_base(std::move(api_url)), m_timeout(timeout) {
  while (!m_base.empty() && m_base.back() == '/') {
    m_base.pop_back();
  }
  m_base += "/bot" + token + "/";
}

void HttpTransport::call(const Call& call, std::function<void(Reply)> done) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = m_base + call.method;
  request.headers = {"Content-Type: application/json"};
  // Invalid UTF-8 from a line is replaced, never thrown on.
  request.body = call.body.empty() ? jsonl::dump(call.params) : call.body;
  request.timeout = m_timeout;
  request.connect_timeout = std::min(m_timeout, Millis(10'000));
  m_client.send(std::move(request), [done = std::move(done)](http::ClientResponse&& response) {
    done(classify(response.status, response.body, response.transport_error() ? response.error : std::string()));
  });
}

} // namespace m2g::progress
