#include "common/bench/pipeline.hpp"
#include "common/bench/setup.hpp"

#include <algorithm>
#include <doctest/doctest.h>

using namespace m2g::bench;

namespace {

bool has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

TEST_SUITE("bench") {
  TEST_CASE("m2g::bench::build_pipeline") {
    PipelineConfig config;
    config.data_dir = "/d";
    SUBCASE("with progress: the queue files and topics of m2g-bot, the last stage to the driver") {
      auto stages = build_pipeline(config);
      REQUIRE(stages.size() == 6);
      CHECK(stages[0].name == "m2g-poll");
      CHECK(show_command(stages[0]) == "m2g-poll --state /d/updates.db --out 'sqlite:/d/updates.db#updates'");
      CHECK(show_command(stages[1]) == "m2g-route --db /d/settings.db --in 'sqlite:/d/updates.db#updates' --out "
                                       "'sqlite:/d/queue.db#routed'");
      CHECK(show_command(stages[4]) == "m2g-commit --workdir /d/clones --settings-db /d/settings.db --in "
                                       "'sqlite:/d/queue.db#commit' --out 'sqlite:/d/queue.db#chat'");
      CHECK(show_command(stages[5]) == "m2g-progress --in 'sqlite:/d/queue.db#chat' --out -");
      CHECK(stages[5].writes_stdout);
      CHECK_FALSE(stages[4].writes_stdout);
      // Each stage reads the topic the previous one writes.
      for (size_t i = 1; i < stages.size(); ++i) {
        auto out = std::find(stages[i - 1].args.begin(), stages[i - 1].args.end(), "--out");
        auto in = std::find(stages[i].args.begin(), stages[i].args.end(), "--in");
        REQUIRE(out != stages[i - 1].args.end());
        REQUIRE(in != stages[i].args.end());
        CHECK(*(out + 1) == *(in + 1));
      }
    }
    SUBCASE("without progress, m2g-commit writes to the driver") {
      config.progress = false;
      auto stages = build_pipeline(config);
      REQUIRE(stages.size() == 5);
      CHECK(stages[4].writes_stdout);
      CHECK(stages[4].args.back() == "-");
      CHECK(stage_names(false).size() == 5);
    }
  }

  TEST_CASE("m2g::bench::pipeline_env") {
    PipelineConfig config;
    config.data_dir = "/d";
    config.telegram_token = "1:t";
    config.limit_rate = 5000;
    config.user_rate = 0.5;
    auto env = pipeline_env(config);
    CHECK(has(env, "M2G_TELEGRAM_TOKEN=1:t"));
    CHECK(has(env, "M2G_LIMIT_RATE=5000"));
    CHECK(has(env, "M2G_LIMIT_PER_KEY_RATE=0.5"));
    CHECK_FALSE(has(env, "M2G_ROUTE_LLM_CONFIGURED=1"));
    config.llm_url = "http://127.0.0.1:9/v1";
    env = pipeline_env(config);
    CHECK(has(env, "M2G_LLM_BASE_URL=http://127.0.0.1:9/v1"));
    CHECK(has(env, "M2G_ROUTE_LLM_CONFIGURED=1"));
  }

  TEST_CASE("m2g::bench::show_command") {
    // Secrets are in the environment, never on a command line.
    PipelineConfig config;
    config.data_dir = "/d";
    config.telegram_token = "123:SECRET";
    config.llm_url = "http://127.0.0.1:2/v1";
    config.llm_key = "LLMKEY";
    config.github_url = "http://127.0.0.1:3";
    config.github_token = "GHTOKEN";
    for (const auto& stage : build_pipeline(config)) {
      std::string shown = show_command(stage);
      CHECK(shown.find("SECRET") == std::string::npos);
      CHECK(shown.find("LLMKEY") == std::string::npos);
      CHECK(shown.find("GHTOKEN") == std::string::npos);
    }
    auto env = pipeline_env(config);
    CHECK(has(env, "M2G_LLM_API_KEY=LLMKEY"));
    CHECK(has(env, "M2G_GITHUB_TOKEN=GHTOKEN"));
    CHECK(has(env, "M2G_COMMIT_BACKEND=github"));
  }

  TEST_CASE("m2g::bench::chat_list") {
    CHECK(chat_list(100, 3) == "100,101,102");
    CHECK(chat_list(5, 1) == "5");
    CHECK(chat_list(5, 0).empty());
  }

  TEST_CASE("m2g::bench::latency_arg") {
    CHECK(latency_arg(5) == "5000000us");
    CHECK(latency_arg(150e-6) == "150us");
    CHECK(latency_arg(0) == "0us");
  }
}
