#include "common/commit/photos.hpp"

#include "common/core/exit_codes.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace m2g::commit {
namespace {

using json = nlohmann::json;

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

PhotoPreparer::PhotoPreparer(http::Sender& http, PhotoOptions options) : m_options(std::move(options)) {
  if (m_options.token) {
    m_api.emplace(http, telegram::ApiOptions{m_options.api_url, *m_options.token, m_options.timeout});
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
  m_api->get_file(job.photo->file_id, [this, &job, finish](telegram::Reply&& reply) {
    if (reply.outcome == telegram::Outcome::bad_request &&
        reply.description.find("file is too big") != std::string::npos) {
      finish(
          fail(exit_code::k_dataerr, "the photo is over Telegram's 20 MB download limit (getFile: file is too big)"));
      return;
    }
    if (!reply.ok() || !reply.result.is_object()) {
      // Retryable when Telegram or the network may answer better later.
      finish(fail(reply.retryable() ? exit_code::k_tempfail : exit_code::k_unavailable,
                  "cannot get the photo from Telegram (getFile): " + reply.summary()));
      return;
    }
    const json& file = reply.result;
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
  // Bytes past our cap are refused below with the clear message; past Telegram's own 20 MB
  // download limit Api stops keeping them (a server that sends more is not Telegram).
  size_t limit = std::max(static_cast<size_t>(m_options.max_bytes), telegram::k_max_download_bytes) + 1;
  m_api->download(
      file_path,
      [this, &job, file_path, done](Result<std::string> bytes) {
        if (!bytes.ok()) {
          done(bytes.failure());
          return;
        }
        if (static_cast<int64_t>(bytes->size()) > m_options.max_bytes) {
          done(too_big(static_cast<int64_t>(bytes->size())));
          return;
        }
        job.photo->ext = extension_of(file_path);
        job.photo->bytes = std::move(bytes.value());
        job.photo->fetched = true;
        done({});
      },
      limit);
}

} // namespace m2g::commit
