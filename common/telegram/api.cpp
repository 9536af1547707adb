#include "common/telegram/api.hpp"

#include "common/core/exit_codes.hpp"
#include "common/core/log.hpp"
#include "common/telegram/normalize.hpp"

namespace m2g::telegram {

Api::Api(http::Sender& client, ApiOptions options)
    : m_client(client), m_base(std::move(options.base_url)), m_token(std::move(options.token)),
      m_timeout(options.timeout), m_bot_id(bot_id_from_token(m_token)) {
  while (!m_base.empty() && m_base.back() == '/') {
    m_base.pop_back();
  }
}

std::string Api::method_url(std::string_view method) const {
  std::string url = m_base;
  url += "/bot";
  url += m_token;
  url += '/';
  url += method;
  return url;
}

std::string Api::file_url(std::string_view file_path) const {
  std::string url = m_base;
  url += "/file/bot";
  url += m_token;
  url += '/';
  url += file_path;
  return url;
}

std::string Api::redact(std::string text) const {
  if (!m_token.empty()) {
    for (size_t at = text.find(m_token); at != std::string::npos; at = text.find(m_token, at + 3)) {
      text.replace(at, m_token.size(), "***");
    }
  }
  return log::redact(std::move(text));
}

void Api::call(std::string_view method, const json& params, Done done, Millis timeout) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = method_url(method);
  request.headers = {"Content-Type: application/json"};
  request.body = params.is_null() ? "{}" : params.dump(-1, ' ', false, json::error_handler_t::replace);
  request.timeout = timeout.count() > 0 ? timeout : m_timeout;
  std::string token = m_token;
  m_client.send(std::move(request), [done = std::move(done), token](http::ClientResponse&& response) {
    Reply reply = classify(response.status, response.body, response.error);
    // Telegram never echoes the token, but a proxy or curl's message might: scrub regardless.
    if (!token.empty()) {
      for (size_t at = reply.description.find(token); at != std::string::npos; at = reply.description.find(token, at)) {
        reply.description.replace(at, token.size(), "***");
      }
    }
    reply.description = log::redact(std::move(reply.description));
    done(std::move(reply));
  });
}

void Api::get_file(std::string_view file_id, Done done) {
  call("getFile", json{{"file_id", file_id}}, std::move(done));
}

void Api::download(std::string_view file_path, std::function<void(Result<std::string>)> done, size_t max_bytes) {
  http::ClientRequest request;
  request.url = file_url(file_path);
  request.timeout = std::max(m_timeout, Millis(120'000));
  std::string path(file_path);
  m_client.send(std::move(request), [this, done = std::move(done), path, max_bytes](http::ClientResponse&& response) {
    if (response.transport_error()) {
      done(fail(exit_code::k_tempfail, redact("cannot download '" + path + "': " + response.error)));
      return;
    }
    if (response.status != 200) {
      Reply reply = classify(response.status, response.body);
      int code = reply.retryable() ? exit_code::k_tempfail : exit_code::k_unavailable;
      done(fail(code, redact("cannot download '" + path + "': " + reply.summary())));
      return;
    }
    if (response.body.size() > max_bytes) {
      done(fail(exit_code::k_unavailable, "cannot download '" + path + "': " + std::to_string(response.body.size()) +
                                              " bytes, more than the limit of " + std::to_string(max_bytes)));
      return;
    }
    done(std::move(response.body));
  });
}

void Api::fetch_file(std::string_view file_id, std::function<void(Result<std::string>)> done, size_t max_bytes) {
  std::string id(file_id);
  get_file(id, [this, id, done = std::move(done), max_bytes](Reply&& reply) mutable {
    if (!reply.ok()) {
      int code = reply.retryable() ? exit_code::k_tempfail : exit_code::k_unavailable;
      done(fail(code, "getFile '" + id + "': " + reply.summary()));
      return;
    }
    const json& path = reply.result.is_object() ? reply.result.value("file_path", json()) : json();
    if (!path.is_string() || path.get_ref<const std::string&>().empty()) {
      done(fail(exit_code::k_unavailable, "getFile '" + id + "': no file_path in the answer (file too big?)"));
      return;
    }
    download(path.get<std::string>(), std::move(done), max_bytes);
  });
}

} // namespace m2g::telegram
