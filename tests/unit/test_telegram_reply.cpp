#include "common/telegram/reply.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using telegram::Outcome;

TEST_SUITE("telegram") {
  TEST_CASE("m2g::telegram::classify") {
    SUBCASE("ok with a result") {
      auto r = telegram::classify(200, R"({"ok":true,"result":[{"update_id":1}]})");
      CHECK(r.outcome == Outcome::ok);
      CHECK(r.result.is_array());
      CHECK(r.ok());
    }
    SUBCASE("an answer nested 400,000 deep is refused before a DOM is built (a getUpdates body)") {
      std::string deep = R"({"ok":true,"result":[{"update_id":1,"message":)" + std::string(400000, '[') +
                         std::string(400000, ']') + "}]}";
      auto r = telegram::classify(200, deep);
      CHECK(r.outcome == Outcome::transient);
      CHECK(r.result.is_null());
      CHECK(r.description.find("nested deeper than") != std::string::npos);
    }
    SUBCASE("429 with parameters.retry_after, or only the description's number") {
      auto r = telegram::classify(
          429,
          R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}})");
      CHECK(r.outcome == Outcome::rate_limited);
      CHECK(r.retry_after == Millis(5000));
      CHECK(r.retryable());
      auto no_params =
          telegram::classify(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7"})");
      CHECK(no_params.retry_after == Millis(7000));
      auto bare = telegram::classify(429, "<html>slow down</html>");
      CHECK(bare.outcome == Outcome::rate_limited);
      CHECK(bare.retry_after == Millis(0));
    }
    SUBCASE("401, 403, 404, 409") {
      CHECK(telegram::classify(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})").outcome ==
            Outcome::unauthorized);
      CHECK(telegram::classify(
                403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})")
                .outcome == Outcome::forbidden);
      CHECK(telegram::classify(404, R"({"ok":false,"error_code":404,"description":"Not Found"})").outcome ==
            Outcome::not_found);
      auto conflict = telegram::classify(
          409, R"({"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request"})");
      CHECK(conflict.outcome == Outcome::conflict);
      CHECK(conflict.description == "Conflict: terminated by other getUpdates request");
      CHECK(conflict.summary() == "409 Conflict: terminated by other getUpdates request");
    }
    SUBCASE("400: not modified, gone, or a plain bad request") {
      auto same = telegram::classify(
          400,
          R"({"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"})");
      CHECK(same.outcome == Outcome::not_modified);
      CHECK(telegram::classify(
                400, R"({"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"})")
                .outcome == Outcome::gone);
      CHECK(
          telegram::classify(400, R"({"ok":false,"error_code":400,"description":"Bad Request: message text is empty"})")
              .outcome == Outcome::bad_request);
    }
    SUBCASE("5xx, garbage and transport errors are transient; nothing throws") {
      CHECK(telegram::classify(502, "<html>Bad Gateway</html>").outcome == Outcome::transient);
      CHECK(telegram::classify(500, R"({"ok":false,"error_code":500,"description":"Internal Server Error"})").outcome ==
            Outcome::transient);
      CHECK(telegram::classify(200, "garbage{").outcome == Outcome::transient);
      CHECK(telegram::classify(200, R"({"ok":true})").outcome == Outcome::transient);
      CHECK(telegram::classify(200, R"([1,2])").outcome == Outcome::transient);
      CHECK(telegram::classify(200, R"({"ok":"yes","result":1})").outcome == Outcome::transient);
      auto cut = telegram::classify(0, "", "Connection refused");
      CHECK(cut.outcome == Outcome::transient);
      CHECK(cut.status == 0);
      CHECK(cut.summary() == "transport error: Connection refused");
    }
    SUBCASE("an error envelope on a 200 uses error_code") {
      CHECK(telegram::classify(200, R"({"ok":false,"error_code":401,"description":"Unauthorized"})").outcome ==
            Outcome::unauthorized);
    }
  }
}
