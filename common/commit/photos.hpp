#pragma once
// Photo bytes for jobs that carry a photo: Telegram's getFile, then the file download, over
// common/http on the event loop, so any number of photos are fetched at once while other
// jobs keep flowing. A size cap (default 20 MB, Telegram's own download limit) is checked on
// the size the job announces, on the size getFile reports and on the bytes that arrive.
// The calls go through telegram::Api, which keeps the token out of every message.

#include "common/commit/backend.hpp"
#include "common/http/sender.hpp"
#include "common/telegram/api.hpp"

#include <optional>

namespace m2g::commit {

struct PhotoOptions {
  std::string api_url = "https://api.telegram.org";
  std::optional<std::string> token; ///< the bot token; photos fail without it
  int64_t max_bytes = 20 << 20;
  Millis timeout{60'000};
};

class PhotoPreparer final : public Preparer {
public:
  PhotoPreparer(http::Sender& http, PhotoOptions options);
  bool wants(const Job& job) const override { return job.photo && !job.photo->fetched; }
  void prepare(Job& job, const RepoContext& repo, std::function<void(Result<void>)> done) override;
  size_t in_flight() const override { return m_in_flight; }

private:
  void download(Job& job, const std::string& file_path, std::function<void(Result<void>)> done);
  Failure too_big(int64_t bytes) const;

  PhotoOptions m_options;
  std::optional<telegram::Api> m_api; ///< set when there is a token
  size_t m_in_flight = 0;
};

/// "4.0 MB" for a byte count (one decimal, MB = 2^20 bytes).
std::string megabytes(int64_t bytes);

} // namespace m2g::commit
