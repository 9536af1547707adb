#include "tests/unit/http_test.hpp"

#include "common/fake/telegram/server.hpp"
#include "common/http/plain_client.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace m2g;
using namespace m2g::fake::telegram;

TEST_SUITE("fake") {
  TEST_CASE("m2g::fake::telegram::FakeServer /control/bulk answers a held poll before the burst is built") {
    event::Loop loop;
    BotConfig config;
    config.limits.global_rate = 0;
    config.limits.chat_rate = 0;
    config.limits.group_per_minute = 0;
    Bot bot(config, SystemClock::instance());
    ServerConfig server_config;
    server_config.token = "1:bench";
    FakeServer server(loop, bot, server_config);
    REQUIRE(server.listen().ok());
    std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    http::PlainClient client(loop);

    std::vector<std::string> order;
    json polled;
    http::ClientRequest poll;
    poll.url = base + "/bot1:bench/getUpdates?timeout=30";
    client.send(std::move(poll), [&](http::ClientResponse&& response) {
      order.push_back("poll");
      polled = json::parse(response.body, nullptr, false);
    });
    loop.run_once(Millis(50)); // the poll is held: nothing to deliver yet
    REQUIRE(order.empty());

    http::ClientRequest bulk;
    bulk.method = "POST";
    bulk.url = base + "/control/bulk";
    bulk.headers = {"Content-Type: application/json"};
    bulk.body = R"({"count":5000,"prefix":"m","first_chat_id":7,"chats":50})";
    json injected;
    client.send(std::move(bulk), [&](http::ClientResponse&& response) {
      order.push_back("bulk");
      injected = json::parse(response.body, nullptr, false);
    });
    REQUIRE(test::run_until(loop, [&] { return order.size() == 2; }));
    // The held poll got a whole first page, written before the other 4,900 were made.
    CHECK(order == std::vector<std::string>{"poll", "bulk"});
    REQUIRE(polled["result"].size() == 100);
    CHECK(polled["result"][0]["message"]["text"] == "m 1");
    CHECK(polled["result"][99]["message"]["chat"]["id"] == 7 + 99 % 50);
    CHECK(injected["count"] == 5000);
    CHECK(injected["first_update_id"] == polled["result"][0]["update_id"]);
    CHECK(injected["last_update_id"].get<int64_t>() - injected["first_update_id"].get<int64_t>() == 4999);

    auto rest = test::fetch(
        loop, client,
        base + "/bot1:bench/getUpdates?offset=" + std::to_string(polled["result"][99]["update_id"].get<int64_t>() + 1));
    json next = json::parse(rest.body, nullptr, false);
    REQUIRE(next["result"].size() == 100);
    CHECK(next["result"][0]["message"]["text"] == "m 101");
  }
}
