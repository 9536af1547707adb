#include "common/progress/telegram.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using namespace m2g::progress;
using namespace std::chrono_literals;

TEST_SUITE("progress") {
  TEST_CASE("m2g::progress::classify") {
    SUBCASE("success carries the result's message_id") {
      Reply reply = classify(200, R"({"ok":true,"result":{"message_id":42}})");
      CHECK(reply.outcome == Outcome::ok);
      CHECK(reply.message_id == 42);
      // A whole Message, fields in any order, strings that look like the keys.
      reply = classify(200, R"( {"result": {"chat":{"id":5,"message_id":"x"},"text":"\"message_id\":7",)"
                            R"("message_id": 1001, "date":1}, "ok" : true} )");
      CHECK(reply.outcome == Outcome::ok);
      CHECK(reply.message_id == 1001);
      CHECK(classify(200, R"({"ok":true,"result":true})").message_id == 0);
      CHECK(classify(200, R"({"ok":true,"result":{"message_id":1.5}})").message_id == 0);
    }
    SUBCASE("a 2xx that is not a Bot API success is a transient failure") {
      CHECK(classify(200, R"({"ok":true,"result":{"message_id":4)").outcome == Outcome::transient);
      CHECK(classify(200, R"({"ok":"true","result":{}})").outcome == Outcome::transient);
      CHECK(classify(200, "<html>").outcome == Outcome::transient);
    }
    SUBCASE("an unchanged edit is done, not an error") {
      Reply reply = classify(400, R"({"ok":false,"error_code":400,"description":"Bad Request: message is not )"
                                  R"(modified: specified new message content and reply markup are exactly the same"})");
      CHECK(reply.outcome == Outcome::not_modified);
    }
    SUBCASE("a deleted message is gone") {
      CHECK(classify(400, R"({"ok":false,"error_code":400,"description":"Bad Request: message to edit not found"})")
                .outcome == Outcome::gone);
      CHECK(classify(400, R"({"ok":false,"error_code":400,"description":"Bad Request: message can't be edited"})")
                .outcome == Outcome::gone);
    }
    SUBCASE("429 waits retry_after") {
      Reply reply = classify(429, R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5",)"
                                  R"("parameters":{"retry_after":5}})");
      CHECK(reply.outcome == Outcome::rate_limited);
      CHECK(reply.retry_after == 5000ms);
    }
    SUBCASE("429 without parameters: the description, else one second") {
      CHECK(classify(429, R"({"ok":false,"description":"Too Many Requests: retry after 7"})").retry_after == 7000ms);
      CHECK(classify(429, "<html>slow down</html>").retry_after == 1000ms);
      CHECK(classify(429, "<html>slow down</html>").outcome == Outcome::rate_limited);
    }
    SUBCASE("an ok:false inside a 200 counts by its error_code") {
      CHECK(classify(200, R"({"ok":false,"error_code":429,"parameters":{"retry_after":2}})").retry_after == 2000ms);
    }
    SUBCASE("credentials, permissions, bad requests") {
      CHECK(classify(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})").outcome ==
            Outcome::unauthorized);
      CHECK(classify(403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})")
                .outcome == Outcome::forbidden);
      CHECK(classify(400, R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})").outcome ==
            Outcome::forbidden);
      Reply bad = classify(400, R"({"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"})");
      CHECK(bad.outcome == Outcome::bad_request);
      CHECK(bad.description == "Bad Request: can't parse entities");
    }
    SUBCASE("server errors, garbage and no answer are transient") {
      CHECK(classify(502, "<html>Bad Gateway</html>").outcome == Outcome::transient);
      CHECK(classify(200, "not json").outcome == Outcome::transient);
      CHECK(classify(200, "[1,2]").outcome == Outcome::transient);
      Reply none = classify(0, "", "Connection refused");
      CHECK(none.outcome == Outcome::transient);
      CHECK(none.description == "Connection refused");
    }
  }
}
