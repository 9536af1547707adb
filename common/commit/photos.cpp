#include "common/commit/photos.hpp"

#include "common/core/exit_codes.hpp"

#include <cctype>
#include <cstdio>

namespace m2g::commit {
namespace {

using json = nlohmann::json;

// A failed Telegram call: retryable when Telegram or the network may answer better later.
Failure telegram_failure(const std::string& doing, const http::ClientResponse& response) {
  bool later = response.transport_error() || response.status == 429 || response.status >= 500;
  std::string why = response.transport_error() ? response.error : "HTTP " + std::to_string(response.status);
  json body = json::parse(response.body, nullptr, false);
  if (body.is_object() && body.contains("description") && body["description"].is_string()) {
    why += ": " + body["description"].get<std::string>();
  }
  return fail(later ? exit_code::k_tempfail : exit_code::k_unavailable, doing + ": " + why);
}

std::string escape_query(const std::string& value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string extension_of(const std::string& file_path) {
  size_t dot = file_path.rfind('.');
  size_t slash = file_path.rfind('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return "jpg";
  }
  std::string ext;
  for (char c : file_path.substr(dot + 1)) {
    if (!std::isalnum(static_cast<unsigned char>(c)) || ext.size() >= 5) {
      return "jpg";
    }
    ext += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return ext.empty() ? "jpg" : ext;
}

} // namespace

std::string megabytes(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1 << 20));
  return buf;
}

PhotoPreparer::PhotoPreparer(http::Client& http, PhotoOptions options) : m_http(http), m_options(std::move(options)) {
  while (!m_options.api_url.empty() && m_options.api_url.back() == '/') {
    m_options.api_url.pop_back();
  }
}

Failure PhotoPreparer::too_big(int64_t bytes) const {
  return fail(exit_code::k_dataerr,
              "the photo is " + megabytes(bytes) + ", over the " + megabytes(m_options.max_bytes) + " limit");
}

void PhotoPreparer::prepare(Job& job, const RepoContext&, std::function<void(Result<void>)> done) {
  if (!m_options.token) {
    done(fail(exit_code::k_config, "photos need the bot token (M2G_TELEGRAM_TOKEN or --telegram-token-file)"));
    return;
  }
  if (job.photo->file_size > m_options.max_bytes) {
    done(too_big(job.photo->file_size));
    return;
  }
  ++m_in_flight;
  auto finish = [this, done = std::move(done)](Result<void> result) {
    --m_in_flight;
    done(std::move(result));
  };
  http::ClientRequest request;
  request.url = m_options.api_url + "/bot" + *m_options.token + "/getFile?file_id=" + escape_query(job.photo->file_id);
  request.timeout = m_options.timeout;
  m_http.send(std::move(request), [this, &job, finish](http::ClientResponse&& response) {
    json body = json::parse(response.body, nullptr, false);
    if (response.status == 400 && body.is_object() &&
        body.value("description", "").find("file is too big") != std::string::npos) {
      finish(
          fail(exit_code::k_dataerr, "the photo is over Telegram's 20 MB download limit (getFile: file is too big)"));
      return;
    }
    if (response.status != 200 || !body.is_object() || !body.value("ok", false) || !body.contains("result")) {
      finish(telegram_failure("cannot get the photo from Telegram (getFile)", response));
      return;
    }
    const json& file = body["result"];
    int64_t size = file.value("file_size", int64_t(0));
    if (size > m_options.max_bytes) {
      finish(too_big(size));
      return;
    }
    if (!file.contains("file_path") || !file["file_path"].is_string()) {
      finish(fail(exit_code::k_unavailable, "Telegram gave no file_path for the photo (is it over 20 MB?)"));
      return;
    }
    download(job, file["file_path"].get<std::string>(), finish);
  });
}

void PhotoPreparer::download(Job& job, const std::string& file_path, std::function<void(Result<void>)> done) {
  http::ClientRequest request;
  request.url = m_options.api_url + "/file/bot" + *m_options.token + "/" + file_path;
  request.timeout = m_options.timeout;
  m_http.send(std::move(request), [this, &job, file_path, done](http::ClientResponse&& response) {
    if (response.status != 200) {
      done(telegram_failure("cannot download the photo from Telegram", response));
      return;
    }
    if (static_cast<int64_t>(response.body.size()) > m_options.max_bytes) {
      done(too_big(static_cast<int64_t>(response.body.size())));
      return;
    }
    job.photo->ext = extension_of(file_path);
    job.photo->bytes = std::move(response.body);
    job.photo->fetched = true;
    done({});
  });
}

} // namespace m2g::commit
