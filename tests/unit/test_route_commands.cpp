#include "tests/unit/route_harness.hpp"

#include "common/crypto/aead.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace m2g;
using namespace m2g::test;

namespace {

json reply_to(json update, int64_t message_id, const std::string& text, bool from_bot = false) {
  update["reply_to"] = {{"message_id", message_id}, {"text", text}, {"from_bot", from_bot}};
  return update;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_SUITE("route") {
  TEST_CASE("m2g::route::on_command") {
    Harness h;
    SUBCASE("/help lists every command, one line each") {
      std::string text = sent_text(h.feed(message(h, 1, "/help")));
      for (const char* name : {"/start", "/help", "/todo", "/issue", "/note", "/sync", "/customfile", "/default",
                               "/repo", "/llm", "/tz", "/photolimit", "/insight", "/stats", "/cancel"}) {
        CAPTURE(name);
        CHECK(text.find(std::string("\n") + name + " ") != std::string::npos);
      }
    }
    SUBCASE("/start welcomes") {
      CHECK(sent_text(h.feed(message(h, 1, "/START"))).find("Welcome") != std::string::npos);
    }
    SUBCASE("unknown commands get a helpful answer") {
      std::string text = sent_text(h.feed(message(h, 1, "/todoo")));
      CHECK(text.find("/todoo") != std::string::npos);
      CHECK(text.find("Did you mean /todo?") != std::string::npos);
      CHECK(text.find("/help") != std::string::npos);
    }
    SUBCASE("/todo and /issue list through m2g-commit, with a limit") {
      auto jobs = of_kind(h.feed(message(h, 1, "/todo@MyBot   5")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["op"] == "list_todo");
      CHECK(jobs[0]["limit"] == 5);
      CHECK(jobs[0]["id"] == "42:list_todo:1");
      CHECK(jobs[0]["file"] == "todo.md");
      jobs = of_kind(h.feed(message(h, 2, "/issue")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["op"] == "list_issue");
      CHECK(jobs[0]["limit"] == 10);
      CHECK(of_kind(h.feed(message(h, 3, "/todo 0")), "job").empty());
      CHECK(of_kind(h.feed(message(h, 4, "/todo 51")), "job").empty());
    }
    SUBCASE("/todo TEXT and /note TEXT file the text") {
      auto jobs = of_kind(h.feed(message(h, 1, "/todo  call   mom ")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["op"] == "add");
      CHECK(jobs[0]["target"] == "todo");
      CHECK(jobs[0]["text"] == "call   mom");
      jobs = of_kind(h.feed(message(h, 2, "/idea a <b>rave</b> idea")), "job");
      CHECK(jobs[0]["target"] == "idea");
      CHECK(jobs[0]["text"] == "a <b>rave</b> idea");
      jobs = of_kind(h.feed(message(h, 3, "/issue it crashes")), "job");
      CHECK(jobs[0]["op"] == "issue");
      CHECK(jobs[0]["file"] == "issue.md");
    }
    SUBCASE("a reply /todo files the replied message, once") {
      h.feed(message(h, 10, "water the plants")); // waiting for a choice
      auto jobs = of_kind(h.feed(reply_to(message(h, 11, "/todo"), 10, "water the plants")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["id"] == "42:10");
      CHECK(jobs[0]["message_id"] == 10);
      CHECK(jobs[0]["target"] == "todo");
      CHECK(of_kind(h.feed(click(h, "f:note:10")), "job").empty()); // the old keyboard files nothing
      auto again = h.feed(reply_to(message(h, 12, "/note"), 10, "water the plants"));
      CHECK(of_kind(again, "job").empty());
      CHECK(sent_text(again).find("already filed") != std::string::npos);
      // A message never seen by route (sent before it ran) is filed from the reply's text.
      jobs = of_kind(h.feed(reply_to(message(h, 13, "/Note@Bot"), 3, "old text")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["text"] == "old text");
      CHECK(of_kind(h.feed(reply_to(message(h, 14, "/note"), 4, "bot text", true)), "job").empty());
    }
    SUBCASE("/sync is a job") {
      auto lines = h.feed(message(h, 1, "/sync"));
      auto jobs = of_kind(lines, "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["op"] == "sync");
      CHECK(jobs[0]["id"] == "42:sync:1");
      CHECK(of_kind(lines, "progress").size() == 1);
    }
    SUBCASE("/llm on|off decides the job's llm flag") {
      CHECK(sent_text(h.feed(message(h, 1, "/llm"))).find("<b>on</b>") != std::string::npos);
      CHECK(sent_text(h.feed(message(h, 2, "/llm OFF"))).find("<b>off</b>") != std::string::npos);
      CHECK(of_kind(h.feed(message(h, 3, "#note x")), "job")[0]["llm"] == false);
      h.feed(message(h, 4, "/llm on"));
      CHECK(of_kind(h.feed(message(h, 5, "#note y")), "job")[0]["llm"] == true);
    }
    SUBCASE("/llm is off by default without an LLM") {
      h.config.llm_configured = false;
      h.reopen();
      CHECK(of_kind(h.feed(message(h, 1, "#note x")), "job")[0]["llm"] == false);
    }
    SUBCASE("/tz is validated and lands in jobs") {
      if (!std::filesystem::exists("/usr/share/zoneinfo/Asia/Tokyo")) {
        return;
      }
      CHECK(sent_text(h.feed(message(h, 1, "/tz Mars/Base"))).find("Unknown time zone") != std::string::npos);
      CHECK(sent_text(h.feed(message(h, 2, "/tz ../../etc/passwd"))).find("Unknown") != std::string::npos);
      CHECK(sent_text(h.feed(message(h, 3, "/tz Asia/Tokyo"))).find("Asia/Tokyo") != std::string::npos);
      CHECK(of_kind(h.feed(message(h, 4, "#note x")), "job")[0]["tz"] == "Asia/Tokyo");
    }
    SUBCASE("/customfile add, list, remove; bad names refused") {
      CHECK(sent_text(h.feed(message(h, 1, "/customfile add ../../etc/passwd"))).find("Not a usable") !=
            std::string::npos);
      CHECK(sent_text(h.feed(message(h, 2, "/customfile add /etc/passwd"))).find("absolute") != std::string::npos);
      CHECK(sent_text(h.feed(message(h, 3, "/customfile  ADD  books/reading"))).find("books/reading.md") !=
            std::string::npos);
      CHECK(sent_text(h.feed(message(h, 4, "/customfile list"))).find("(1/10)") != std::string::npos);
      auto keyboard = h.feed(message(h, 5, "a book"));
      CHECK(keyboard[0]["params"]["reply_markup"].dump().find("f:c0:5") != std::string::npos);
      // The keyboard's custom files are kept with the pending message: removing one later
      // does not redirect the click.
      h.feed(message(h, 6, "/customfile remove books/reading"));
      auto jobs = of_kind(h.feed(click(h, "f:c0:5")), "job");
      REQUIRE(jobs.size() == 1);
      CHECK(jobs[0]["target"] == "custom");
      CHECK(jobs[0]["file"] == "books/reading.md");
      CHECK(of_kind(h.feed(click(h, "f:c7:5")), "job").empty());
    }
    SUBCASE("/customfile has a limit") {
      h.config.max_custom_files = 2;
      h.reopen();
      h.feed(message(h, 1, "/customfile add a"));
      h.feed(message(h, 2, "/customfile add b"));
      CHECK(sent_text(h.feed(message(h, 3, "/customfile add c"))).find("most allowed") != std::string::npos);
    }
    SUBCASE("/cancel forgets waiting messages") {
      h.feed(message(h, 10, "a"));
      h.feed(message(h, 11, "b"));
      CHECK(sent_text(h.feed(message(h, 12, "/cancel"))).find("Cancelled 2 messages") != std::string::npos);
      CHECK(of_kind(h.feed(click(h, "f:note:10")), "job").empty());
      h.feed(message(h, 13, "c"));
      CHECK(sent_text(h.feed(reply_to(message(h, 14, "/cancel"), 13, "c"))).find("Cancelled") != std::string::npos);
      CHECK(of_kind(h.feed(click(h, "f:note:13")), "job").empty());
    }
    SUBCASE("/insight and /stats count what was filed") {
      h.clock = ManualClock(k_date * 1000);
      h.feed(message(h, 1, "#note a"));
      h.feed(message(h, 2, "#note b"));
      h.feed(message(h, 3, "#todo c"));
      std::string insight = sent_text(h.feed(message(h, 4, "/insight")));
      CHECK(insight.find("Messages filed: 3") != std::string::npos);
      CHECK(insight.find("📝 note: 2") != std::string::npos);
      CHECK(insight.find("🟨") != std::string::npos); // today: 3
      std::string stats = sent_text(h.feed(message(h, 5, "/stats")));
      CHECK(stats.find("Chats: 1") != std::string::npos);
    }
    SUBCASE("an edited command is not run again") {
      auto edit = message(h, 1, "/sync");
      edit["type"] = "edited_message";
      auto lines = h.feed(edit);
      CHECK(of_kind(lines, "job").empty());
      CHECK(sent_text(lines).find("not run") != std::string::npos);
    }
  }

  TEST_CASE("m2g::route::cmd_repo") {
    std::string token = "ghp_S3cretT0kenValue0123456789abcdefXYZ";
    SUBCASE("without a key: refused, message deleted, token never echoed") {
      Harness h;
      auto lines = h.feed(message(h, 9, "/repo https://github.com/me/notes " + token));
      auto deletes = calls(lines, "deleteMessage");
      REQUIRE(deletes.size() == 1);
      CHECK(deletes[0]["params"]["message_id"] == 9);
      std::string text = sent_text(lines);
      CHECK(text.find("no encryption key") != std::string::npos);
      for (const auto& line : lines) {
        CHECK(line.dump().find(token) == std::string::npos);
      }
      CHECK(sent_text(h.feed(message(h, 10, "/repo"))).find("default repository") != std::string::npos);
    }
    SUBCASE("with a key: sealed at rest, readable with the key, jobs carry url and token:true") {
      Config config = Harness::make_config();
      config.key = crypto::Key::from_bytes(std::string(32, 'k')).take_or_throw();
      Harness h(config);
      auto lines = h.feed(message(h, 9, "/repo  https://github.com/me/notes   " + token));
      CHECK(calls(lines, "deleteMessage").size() == 1);
      std::string text = sent_text(lines);
      CHECK(text.find("Token stored, encrypted") != std::string::npos);
      for (const auto& line : lines) {
        CHECK(line.dump().find(token) == std::string::npos);
      }
      auto store = settings::Store::open(h.db, true).take_or_throw();
      CHECK(store.decrypted_token(k_chat, *config.key).take_or_throw() == std::optional<std::string>(token));
      std::string bytes = file_bytes(h.db) + file_bytes(h.db + "-wal");
      CHECK(bytes.find(token) == std::string::npos);
      auto jobs = of_kind(h.feed(message(h, 10, "#note x")), "job");
      CHECK(jobs[0]["repo"] == json{{"url", "https://github.com/me/notes"}, {"token", true}});
      CHECK(sent_text(h.feed(message(h, 11, "/repo"))).find("stored, encrypted") != std::string::npos);
      h.feed(message(h, 12, "/repo off"));
      CHECK_FALSE(of_kind(h.feed(message(h, 13, "#note y")), "job")[0].contains("repo"));
    }
    SUBCASE("URLs are checked; credentials in a URL are refused and deleted") {
      Harness h;
      auto lines = h.feed(message(h, 1, "/repo https://me:" + token + "@github.com/me/notes"));
      CHECK(calls(lines, "deleteMessage").size() == 1);
      CHECK(sent_text(lines).find("no credentials") != std::string::npos);
      CHECK(lines[1].dump().find(token) == std::string::npos);
      CHECK(sent_text(h.feed(message(h, 2, "/repo file:///etc"))).find("Nothing saved") != std::string::npos);
      CHECK(sent_text(h.feed(message(h, 3, "/repo https://github.com"))).find("Nothing saved") != std::string::npos);
      lines = h.feed(message(h, 4, "/repo https://github.com/a/b?x=<y>&z"));
      CHECK(calls(lines, "deleteMessage").empty());
      CHECK(sent_text(lines).find("https://github.com/a/b?x=&lt;y&gt;&amp;z") != std::string::npos);
      // ssh:// and scp-like URLs are refused here, as m2g-commit refuses them (one validator).
      CHECK(sent_text(h.feed(message(h, 5, "/repo git@github.com:me/notes.git"))).find("Nothing saved") !=
            std::string::npos);
    }
  }
}
