#include "common/commit/listing.hpp"
#include "common/commit/plan.hpp"
#include "common/route/callback_data.hpp"

#include <doctest/doctest.h>
#include <map>

using namespace m2g;
using namespace m2g::commit;

namespace {

// The files of a base commit, held in memory: make_plan is backend-independent by design,
// and the git and GitHub backends are tested against real repositories elsewhere.
class MapSource final : public FileSource {
public:
  std::map<std::string, std::string> files;
  Result<FileBytes> read(const std::string& path) override {
    auto it = files.find(path);
    return it == files.end() ? FileBytes() : std::make_shared<const std::string>(it->second);
  }
  Result<PathKind> kind(const std::string& path) override {
    if (files.count(path)) {
      return PathKind::file;
    }
    auto next = files.lower_bound(path + "/");
    return next != files.end() && next->first.rfind(path + "/", 0) == 0 ? PathKind::folder : PathKind::absent;
  }
};

Job job_of(nlohmann::json line) {
  line["v"] = 1;
  line["kind"] = "job";
  auto job = parse_job(line, 1732531200);
  REQUIRE_MESSAGE(job.ok(), job.error());
  return job.value();
}

Job custom(int64_t msg, const std::string& file) {
  return job_of({{"id", "1:" + std::to_string(msg)},
                 {"op", "add"},
                 {"target", "custom"},
                 {"file", file},
                 {"chat_id", 1},
                 {"message_id", msg},
                 {"date", 1732531200 + msg * 60},
                 {"text", "into " + file}});
}

Job note(int64_t msg, const std::string& text, const std::string& target = "note") {
  return job_of({{"id", "1:" + std::to_string(msg)},
                 {"op", "add"},
                 {"target", target},
                 {"chat_id", 1},
                 {"message_id", msg},
                 {"date", 1732531200 + msg * 60},
                 {"text", text}});
}

Plan plan_of(const std::vector<Job>& jobs, MapSource& source, const std::string& repo = "o/r") {
  std::vector<const Job*> pointers;
  for (const auto& job : jobs) {
    pointers.push_back(&job);
  }
  PlanOptions options;
  options.repo_name = repo;
  auto plan = make_plan(pointers, source, options);
  REQUIRE(plan.ok());
  return plan.value();
}

std::string written(const Plan& plan, const std::string& path) {
  for (const auto& write : plan.writes) {
    if (write.path == path) {
      return write.content;
    }
  }
  return "<not written>";
}

} // namespace

TEST_SUITE("commit") {
  TEST_CASE("m2g::commit::make_plan") {
    MapSource source;

    SUBCASE("entries go newest first, above what was there, one commit message for all") {
      source.files["note.md"] = "<!--[1] [1] [2024-11-25 10:41 UTC]-->\n## old\nold\n\n";
      Plan plan = plan_of({note(2, "second"), note(3, "third")}, source);
      CHECK(written(plan, "note.md") == "<!--[3] [1] [2024-11-25 10:43 UTC]-->\n## third\nthird\n\n"
                                        "<!--[2] [1] [2024-11-25 10:42 UTC]-->\n## second\nsecond\n\n"
                                        "<!--[1] [1] [2024-11-25 10:41 UTC]-->\n## old\nold\n\n");
      CHECK(plan.message.rfind("m2g: 2 notes (note.md)\n\n", 0) == 0);
    }

    SUBCASE("a job already in the file, in either marker form, is a duplicate") {
      source.files["note.md"] = "<!--\n[2] [1] [2025-06-25 14:30] \n-->\n\n## ref\n\n---\n\n";
      Plan plan = plan_of({note(2, "again"), note(3, "new"), note(3, "new twice in one batch")}, source);
      CHECK(plan.results[0].outcome == Outcome::duplicate);
      CHECK(plan.results[1].outcome == Outcome::written);
      CHECK(plan.results[2].outcome == Outcome::duplicate);
      CHECK(written(plan, "note.md").find("again") == std::string::npos);
    }

    SUBCASE("nothing new: nothing to commit") {
      source.files["note.md"] = "<!--[2] [1] [2024-11-25 10:42 UTC]-->\n## x\n\n";
      Plan plan = plan_of({note(2, "x")}, source);
      CHECK(plan.writes.empty());
    }

    SUBCASE("a message cannot forge a marker") {
      Plan plan = plan_of({note(2, "x\n<!--[9] [1] [2024-11-25 10:42 UTC]-->\n## forged")}, source);
      source.files["note.md"] = written(plan, "note.md");
      Plan again = plan_of({note(9, "the real nine")}, source);
      CHECK(again.results[0].outcome == Outcome::written);
    }

    SUBCASE("TODO done flips one byte and nothing else") {
      std::string before = "# TODOs\n\nhand-written line\n- [ ] <!--[5] [1]--> five (2024-11-25)\n\n"
                           "- [ ] <!--[6] [1]--> six (2024-11-25)\n- [ ] no id here\n";
      source.files["todo.md"] = before;
      Job done = job_of({{"id", "1:6:done"}, {"op", "done"}, {"chat_id", 1}, {"todo", {{"message_id", 6}}}});
      Plan plan = plan_of({done}, source);
      std::string after = written(plan, "todo.md");
      REQUIRE(after.size() == before.size());
      size_t differing = 0;
      for (size_t i = 0; i < before.size(); ++i) {
        differing += before[i] != after[i];
      }
      CHECK(differing == 1);
      CHECK(after.find("- [x] <!--[6] [1]--> six") != std::string::npos);
      source.files["todo.md"] = after;
      CHECK(plan_of({done}, source).results[0].outcome == Outcome::duplicate);
      Job missing = job_of({{"id", "1:99:done"}, {"op", "done"}, {"chat_id", 1}, {"todo", {{"message_id", 99}}}});
      CHECK(plan_of({missing}, source).results[0].outcome == Outcome::failed);
    }

    SUBCASE("a TODO added and done in one batch") {
      Job done = job_of({{"id", "1:5:done"}, {"op", "done"}, {"chat_id", 1}, {"todo", {{"message_id", 5}}}});
      Plan plan = plan_of({note(5, "five", "todo"), done}, source);
      CHECK(written(plan, "todo.md") == "- [x] <!--[5] [1]--> five (2024-11-25)\n");
    }

    SUBCASE("closing #12 leaves #120 and other repositories alone") {
      std::string before = "- 🟢 o/r#120 [a](u)\n- 🟢 o/r#12 [b](u)\n- 🟢 x/y#12 [c](u)\n";
      source.files["issue.md"] = before;
      Job close = job_of({{"id", "1:close:1"}, {"op", "close"}, {"chat_id", 1}, {"issue", {{"number", 12}}}});
      Plan plan = plan_of({close}, source);
      CHECK(written(plan, "issue.md") == "- 🟢 o/r#120 [a](u)\n- 🔴 o/r#12 [b](u)\n- 🟢 x/y#12 [c](u)\n");
      source.files["issue.md"] = written(plan, "issue.md");
      CHECK(plan_of({close}, source).results[0].outcome == Outcome::duplicate);
    }

    SUBCASE("sync sets known states and keeps every issue it could not fetch") {
      source.files["issue.md"] = "- 🟢 o/r#1 [a](u)\n- 🟢 o/r#2 [b](u)\n- 🔴 o/r#3 [c](u)\nnotes\n";
      Job sync = job_of({{"id", "1:sync:1"}, {"op", "sync"}, {"chat_id", 1}});
      sync.details_to_fill().issue_states = {{1, false}, {3, true}};
      Plan plan = plan_of({sync}, source);
      CHECK(written(plan, "issue.md") == "- 🔴 o/r#1 [a](u)\n- 🟢 o/r#2 [b](u)\n- 🟢 o/r#3 [c](u)\nnotes\n");
      CHECK(plan.results[0].details->extra["synced"]["unknown"] == 1);
    }

    SUBCASE("an issue job records its line once") {
      Job issue = job_of({{"id", "1:7"},
                          {"op", "issue"},
                          {"target", "issue"},
                          {"chat_id", 1},
                          {"message_id", 7},
                          {"text", "it crashes"},
                          {"title", "Crash"}});
      issue.issue = IssueFacts{"o/r", 12, "https://github.com/o/r/issues/12", true};
      Plan plan = plan_of({issue}, source);
      CHECK(written(plan, "issue.md") == "- 🟢 o/r#12 [Crash](https://github.com/o/r/issues/12)\n");
      source.files["issue.md"] = written(plan, "issue.md");
      CHECK(plan_of({issue}, source).results[0].outcome == Outcome::duplicate);
    }

    SUBCASE("listing TODOs answers with buttons from the current file") {
      source.files["todo.md"] = "- [ ] <!--[5] [1]--> a <b> (2024-11-25)\n- [x] <!--[4] [1]--> done (2024-11-25)\n"
                                "- [ ] <!--[3] [2]--> other chat (2024-11-25)\n";
      Job list = job_of({{"id", "1:list_todo:9"}, {"op", "list_todo"}, {"chat_id", 1}});
      // Without the instance key the list goes without buttons (m2g-route would refuse them).
      set_button_signer(std::nullopt);
      CHECK(plan_of({list}, source).results[0].details->actions[0]["params"].count("reply_markup") == 0);
      route::ButtonSigner signer(crypto::Key::from_bytes(std::string(32, 'i')).take_or_throw());
      set_button_signer(signer);
      Plan plan = plan_of({list}, source);
      set_button_signer(std::nullopt);
      REQUIRE(plan.results[0].details);
      REQUIRE(plan.results[0].details->actions.size() == 1);
      const auto& action = plan.results[0].details->actions[0];
      CHECK(action["kind"] == "action");
      CHECK(action["method"] == "sendMessage");
      CHECK(action["params"]["text"].get<std::string>().find("a &lt;b&gt;") != std::string::npos);
      auto keyboard = action["params"]["reply_markup"]["inline_keyboard"];
      REQUIRE(keyboard.size() == 1);
      CHECK(keyboard[0][0]["callback_data"] == route::encode_done(5, 1, signer).take_or_throw());
      CHECK(plan.writes.empty());
    }

    SUBCASE("a new file inside a file, or where a folder is, fails its own job and no other") {
      source.files["README.md"] = "# r\n";
      source.files["docs.md/a.md"] = "a\n";
      Plan plan = plan_of({note(1, "before"), custom(2, "README.md/x.md"), custom(3, "docs.md"), note(4, "after"),
                           custom(5, "docs.md/b.md")},
                          source);
      REQUIRE(plan.results.size() == 5);
      CHECK(plan.results[0].outcome == Outcome::written);
      CHECK(plan.results[1].outcome == Outcome::failed);
      CHECK(plan.results[1].reason() ==
            "cannot write 'README.md/x.md': 'README.md' is a file in the repository, not a folder");
      CHECK(plan.results[2].outcome == Outcome::failed);
      CHECK(plan.results[2].reason() == "cannot write 'docs.md': it is a folder in the repository");
      CHECK(plan.results[3].outcome == Outcome::written);
      CHECK(plan.results[4].outcome == Outcome::written);
      CHECK(written(plan, "README.md/x.md") == "<not written>");
      CHECK(written(plan, "docs.md") == "<not written>");
      CHECK(written(plan, "note.md").find("after") != std::string::npos);
      CHECK(plan.message.rfind("m2g: 3 notes", 0) == 0);
    }

    SUBCASE("of two new files of one batch where one would hold the other, the first one wins") {
      Plan plan =
          plan_of({custom(1, "a.md"), custom(2, "a.md/b.md"), custom(3, "c.md/d.md"), custom(4, "c.md")}, source);
      REQUIRE(plan.results.size() == 4);
      CHECK(plan.results[0].outcome == Outcome::written);
      CHECK(plan.results[1].outcome == Outcome::failed);
      CHECK(plan.results[1].reason() ==
            "cannot write 'a.md/b.md': 'a.md' is a new file of the same commit, not a folder");
      CHECK(plan.results[2].outcome == Outcome::written);
      CHECK(plan.results[3].outcome == Outcome::failed);
      CHECK(plan.results[3].reason() == "cannot write 'c.md': the same commit makes it a folder ('c.md/d.md')");
      CHECK(plan.writes.size() == 2);
    }

    SUBCASE("a photo's bytes are committed once and linked relative to the file") {
      Job photo = job_of({{"id", "1:8"},
                          {"op", "add"},
                          {"target", "custom"},
                          {"file", "trips/rome.md"},
                          {"chat_id", 1},
                          {"message_id", 8},
                          {"date", 1732531200},
                          {"photo", {{"file_id", "F"}, {"file_unique_id", "U1"}, {"caption", "Colosseum"}}}});
      photo.photo->bytes = "JPEGBYTES";
      Plan plan = plan_of({photo}, source);
      CHECK(written(plan, "photos/2024/11/U1.jpg") == "JPEGBYTES");
      CHECK(written(plan, "trips/rome.md").find("![Colosseum](../photos/2024/11/U1.jpg)") != std::string::npos);
      source.files["photos/2024/11/U1.jpg"] = "JPEGBYTES";
      Plan again = plan_of({photo}, source);
      CHECK(written(again, "photos/2024/11/U1.jpg") == "<not written>");
    }
  }
}
