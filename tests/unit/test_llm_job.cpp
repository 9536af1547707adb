#include "common/llm/job.hpp"

#include <doctest/doctest.h>

using namespace m2g;
using json = nlohmann::json;

TEST_SUITE("llm") {
  TEST_CASE("m2g::llm::plan_job") {
    json job = {{"v", 1}, {"kind", "job"}, {"id", "1:2"}, {"op", "add"}, {"text", "buy milk today"}, {"llm", true}};
    SUBCASE("an add job with llm on asks the model, with the first words as fallback") {
      auto plan = llm::plan_job(job);
      CHECK(plan.owned);
      CHECK(plan.ask_model);
      CHECK(plan.text == "buy milk today");
      CHECK(plan.fallback == "buy milk today");
    }
    SUBCASE("issue jobs are owned too; other ops are not") {
      job["op"] = "issue";
      CHECK(llm::plan_job(job).owned);
      for (const char* op : {"done", "close", "sync", "list_todo"}) {
        job["op"] = op;
        CHECK_FALSE(llm::plan_job(job).owned);
      }
      job.erase("op");
      CHECK_FALSE(llm::plan_job(job).owned);
    }
    SUBCASE("llm false, absent or not a boolean: fallback only") {
      job["llm"] = false;
      CHECK(llm::plan_job(job).owned);
      CHECK_FALSE(llm::plan_job(job).ask_model);
      job["llm"] = "yes";
      CHECK_FALSE(llm::plan_job(job).ask_model);
      job.erase("llm");
      CHECK_FALSE(llm::plan_job(job).ask_model);
    }
    SUBCASE("a title set by the person stands; an empty one does not") {
      job["title"] = "Mine";
      CHECK_FALSE(llm::plan_job(job).owned);
      job["title"] = " ";
      CHECK(llm::plan_job(job).owned);
    }
    SUBCASE("photos use the caption; without one the title is Photo and no model is asked") {
      job["photo"] = {{"file_id", "f"}, {"caption", "sunset at the lake"}};
      job["text"] = "";
      auto captioned = llm::plan_job(job);
      CHECK(captioned.text == "sunset at the lake");
      CHECK(captioned.ask_model);
      job["photo"].erase("caption");
      auto bare = llm::plan_job(job);
      CHECK(bare.owned);
      CHECK(bare.fallback == "Photo");
      CHECK_FALSE(bare.ask_model);
    }
    SUBCASE("a job without text gets Untitled and no model call") {
      job.erase("text");
      auto plan = llm::plan_job(job);
      CHECK(plan.fallback == "Untitled");
      CHECK_FALSE(plan.ask_model);
    }
  }

  TEST_CASE("m2g::llm::apply_title") {
    json job = {{"v", 1}, {"kind", "job"}, {"id", "1:2"}, {"op", "add"}, {"text", "x"}, {"ts", 1}};
    SUBCASE("a model's title with usage") {
      llm::TitleResult result{"Title", {"#a", "#b"}, true, llm::Usage{30, 9}, 1, ""};
      llm::apply_title(job, result, 42);
      CHECK(job["title"] == "Title");
      CHECK(job["hashtags"] == json::array({"#a", "#b"}));
      CHECK(job["title_source"] == "llm");
      CHECK(job["usage"] == json{{"prompt_tokens", 30}, {"completion_tokens", 9}});
      CHECK(job["ts"] == 42);
      CHECK(job["text"] == "x");
    }
    SUBCASE("a fallback has no hashtags and no usage unless tokens were billed") {
      llm::TitleResult result;
      result.title = "x";
      llm::apply_title(job, result, 42);
      CHECK(job["title_source"] == "fallback");
      CHECK(job["hashtags"] == json::array());
      CHECK_FALSE(job.contains("usage"));
    }
  }

  TEST_CASE("m2g::llm::progress_event") {
    json job = {{"v", 1},          {"kind", "job"}, {"id", "5:6"}, {"chat_id", 5},
                {"message_id", 6}, {"t0", 100},     {"text", "x"}};
    json event = llm::progress_event(job, "title", 40, "generating title…");
    CHECK(event["kind"] == "progress");
    CHECK(event["id"] == "5:6");
    CHECK(event["chat_id"] == 5);
    CHECK(event["t0"] == 100);
    CHECK(event["stage"] == "m2g-llm");
    CHECK(event["step"] == "title");
    CHECK(event["pct"] == 40);
    CHECK(event["text"] == "generating title…");
  }
}
