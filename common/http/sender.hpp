#pragma once
// What a caller of HTTP needs from a client: send a request, be told of its answer later on
// the loop. Two clients implement it: Client (libcurl: TLS, proxies, redirects, every use) and
// PlainClient (plain http:// to one known endpoint, a few hundred bytes per request in flight),
// so m2g-llm can hold 10,000 requests to a local model without libcurl's 11 KB each.

#include "common/http/message.hpp"

#include <cstddef>
#include <functional>

namespace m2g::http {

class Sender {
public:
  virtual ~Sender() = default;
  /// Start (or queue) `request`; `done` runs later on the loop, never inside send() itself.
  virtual void send(ClientRequest request, std::function<void(ClientResponse&&)> done) = 0;
  /// Requests on the wire now.
  virtual size_t in_flight() const = 0;
  /// Requests waiting for a free slot.
  virtual size_t queued() const = 0;
};

} // namespace m2g::http
