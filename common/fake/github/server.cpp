#include "common/fake/github/server.hpp"

#include "common/cli/app.hpp"
#include "common/core/exit_codes.hpp"
#include "common/github/base64.hpp"
#include "common/github/iso8601.hpp"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>

namespace m2g::fake::github {
namespace {

using json = nlohmann::json;

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) {
      end = path.size();
    }
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) {
    out += (i > from ? "/" : "") + percent_decode(parts[i]);
  }
  return out;
}

http::Response error(int status, const std::string& message) {
  return http::Response::json(status,
                              json{{"message", message}, {"documentation_url", "https://docs.github.com/rest"}}.dump());
}

http::Response from(const ApiError& e) {
  return error(e.status, e.message);
}

template <typename T, typename F> http::Response answer(ApiResult<T> result, F make) {
  if (auto* e = std::get_if<ApiError>(&result)) {
    return from(*e);
  }
  return make(std::get<T>(result));
}

std::optional<json> body_json(const http::Request& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    return std::nullopt;
  }
  return body;
}

bool is_write(const std::string& method) {
  return method == "POST" || method == "PATCH" || method == "PUT" || method == "DELETE";
}

} // namespace

Result<std::map<std::string, Millis>> parse_latency(const std::string& spec) {
  std::map<std::string, Millis> out;
  size_t start = 0;
  while (start < spec.size()) {
    size_t end = spec.find(',', start);
    std::string item = spec.substr(start, end == std::string::npos ? std::string::npos : end - start);
    size_t eq = item.find('=');
    std::string kind = eq == std::string::npos ? "*" : item.substr(0, eq);
    std::string value = eq == std::string::npos ? item : item.substr(eq + 1);
    try {
      out[kind] = Millis(cli::parse_duration_ms(value));
    } catch (const std::exception& e) {
      return fail(exit_code::k_usage, "--latency: " + std::string(e.what()));
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return out;
}

Result<void> add_grant(const std::string& spec, std::map<std::string, std::set<std::string>>& grants) {
  size_t eq = spec.find('=');
  size_t slash = spec.find('/', eq == std::string::npos ? 0 : eq);
  if (eq == std::string::npos || eq == 0 || slash == std::string::npos || slash == eq + 1 || slash + 1 == spec.size()) {
    return fail(exit_code::k_usage, "--grant: '" + spec + "' is not TOKEN=OWNER/REPO");
  }
  grants[spec.substr(0, eq)].insert(spec.substr(eq + 1));
  return {};
}

Server::Server(event::Loop& loop, Options options)
    : m_loop(loop), m_options(std::move(options)), m_repos(m_options.repos_dir),
      m_issues(m_options.repos_dir, m_options.first_issue),
      m_http(loop, [this](http::Request&& request, http::Responder respond) {
        handle(std::move(request), std::move(respond));
      }) {}

Result<void> Server::listen(const std::string& host, int port) {
  return m_http.listen(host, port);
}

std::optional<http::Response> Server::limit(const std::string& token, bool write) {
  int64_t now_ms = m_loop.clock().unix_ms();
  TokenState& state = m_tokens[token];
  if (now_ms / 1000 - state.hour_start_s >= 3600) {
    state.hour_start_s = now_ms / 1000;
    state.hour_count = 0;
  }
  if (state.hour_count >= m_options.requests_per_hour) {
    ++m_stats.limited;
    http::Response refused = error(m_options.limit_status, "API rate limit exceeded for user.");
    add_rate_headers(refused, token);
    return refused;
  }
  ++state.hour_count;
  if (!write) {
    return std::nullopt;
  }
  int64_t window_ms = m_options.window.count();
  while (!state.writes_ms.empty() && state.writes_ms.front() <= now_ms - window_ms) {
    state.writes_ms.pop_front();
  }
  if (static_cast<int>(state.writes_ms.size()) >= m_options.writes_per_minute) {
    ++m_stats.limited;
    // A client that waits as told comes back after Retry-After; requests already on their
    // way when the first refusal went out are forgiven (a second).
    if (now_ms >= state.retry_after_until_ms) {
      state.refused_at_ms = now_ms;
    } else if (now_ms > state.refused_at_ms + 1000) {
      ++m_stats.hammering;
    }
    int64_t wait_s = std::max<int64_t>(1, (state.writes_ms.front() + window_ms - now_ms + 999) / 1000);
    state.retry_after_until_ms = now_ms + wait_s * 1000;
    http::Response refused =
        error(m_options.limit_status, "You have exceeded a secondary rate limit and have been temporarily blocked "
                                      "from content creation. Please retry your request again later.");
    refused.headers.push_back({"Retry-After", std::to_string(wait_s)});
    add_rate_headers(refused, token);
    return refused;
  }
  state.writes_ms.push_back(now_ms);
  ++m_stats.writes;
  m_stats.max_writes_in_minute = std::max(m_stats.max_writes_in_minute, state.writes_ms.size());
  return std::nullopt;
}

bool Server::refused_path(const json& tree_body) const {
  if (!tree_body.contains("tree") || !tree_body["tree"].is_array()) {
    return false;
  }
  for (const auto& entry : tree_body["tree"]) {
    std::string path = entry.is_object() ? entry.value("path", "") : "";
    for (const auto& refused : m_options.refuse_paths) {
      if (path.find(refused) != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

void Server::add_rate_headers(http::Response& response, const std::string& token) {
  const TokenState& state = m_tokens[token];
  int64_t remaining = std::max<int64_t>(0, m_options.requests_per_hour - state.hour_count);
  response.headers.push_back({"x-ratelimit-limit", std::to_string(m_options.requests_per_hour)});
  response.headers.push_back({"x-ratelimit-remaining", std::to_string(remaining)});
  response.headers.push_back({"x-ratelimit-used", std::to_string(state.hour_count)});
  response.headers.push_back({"x-ratelimit-reset", std::to_string(state.hour_start_s + 3600)});
  response.headers.push_back({"x-ratelimit-resource", "core"});
}

void Server::handle(http::Request&& request, http::Responder respond) {
  ++m_stats.requests;
  if (request.path == "/_fake/stats") {
    respond(http::Response::json(200, json{{"requests", m_stats.requests},
                                           {"writes", m_stats.writes},
                                           {"limited", m_stats.limited},
                                           {"max_writes_in_window", m_stats.max_writes_in_minute},
                                           {"hammering", m_stats.hammering},
                                           {"issues_created", m_issues.created()},
                                           {"held", m_held.size()}}
                                          .dump()));
    return;
  }
  if (request.path == "/_fake/writes") {
    respond(http::Response::json(200, m_writes.dump()));
    return;
  }
  if (request.path == "/_fake/hold" || request.path == "/_fake/release") {
    // Tests hold the requests of one kind (say, commit) to act while a client waits on one,
    // instead of guessing how long it takes to get there.
    std::string kind = request.query_param("kind");
    if (request.path == "/_fake/hold") {
      m_hold_kinds.insert(kind);
    } else {
      m_hold_kinds.erase(kind);
      std::vector<Held> release;
      for (auto it = m_held.begin(); it != m_held.end();) {
        if (it->kind == kind) {
          release.push_back(std::move(*it));
          it = m_held.erase(it);
        } else {
          ++it;
        }
      }
      for (auto& held : release) {
        m_loop.defer(std::move(held.finish));
      }
    }
    respond(http::Response::json(200, json{{"held", m_held.size()}}.dump()));
    return;
  }
  std::string auth(request.header("authorization"));
  std::string token;
  for (const char* scheme : {"Bearer ", "bearer ", "token "}) {
    if (auth.rfind(scheme, 0) == 0) {
      token = auth.substr(std::string_view(scheme).size());
    }
  }
  if (token.empty()) {
    respond(error(401, "Requires authentication"));
    return;
  }
  if (!m_options.grants.empty()) {
    // As GitHub with a private repository: a token without access does not see it at all.
    auto parts = split_path(request.path);
    auto granted = m_options.grants.find(token);
    if (parts.size() >= 3 && parts[0] == "repos" &&
        (granted == m_options.grants.end() || !granted->second.count(parts[1] + "/" + parts[2]))) {
      respond(error(404, "Not Found"));
      return;
    }
  }
  if (auto refused = limit(token, is_write(request.method))) {
    respond(std::move(*refused));
    return;
  }
  if (is_write(request.method)) {
    m_writes.push_back({{"method", request.method}, {"path", request.path}, {"token", token}});
  }
  Call call = route(request);
  auto delay = m_options.latency.find(call.kind);
  if (delay == m_options.latency.end()) {
    delay = m_options.latency.find("*");
  }
  auto finish = [this, call, respond, token] {
    http::Response response = call.run();
    add_rate_headers(response, token);
    respond(std::move(response));
  };
  if (m_hold_kinds.count(call.kind)) {
    m_held.push_back({call.kind, std::move(finish)});
  } else if (delay == m_options.latency.end() || delay->second.count() == 0) {
    finish();
  } else {
    // The work happens when the answer goes out, as a slow server's would.
    m_loop.after(delay->second, finish);
  }
}

Server::Call Server::route(const http::Request& request) {
  auto parts = split_path(request.path);
  const std::string& method = request.method;
  auto not_found = [] { return Call{"*", [] { return error(404, "Not Found"); }}; };
  if (parts.size() < 3 || parts[0] != "repos") {
    return not_found();
  }
  std::string owner = parts[1], repo = parts[2];
  size_t n = parts.size();
  int64_t now_s = m_loop.clock().unix_ms() / 1000;
  if (n == 3 && method == "GET") {
    return {"repo", [=, this] {
              return answer(m_repos.describe(owner, repo),
                            [](const json& j) { return http::Response::json(200, j.dump()); });
            }};
  }
  if (n >= 6 && parts[3] == "git" && (parts[4] == "ref" || parts[4] == "refs") && parts[5] == "heads") {
    std::string branch = join(parts, 6);
    auto ref_json = [owner, repo, branch](const std::string& sha) {
      return http::Response::json(
          200, json{{"ref", "refs/heads/" + branch}, {"object", {{"sha", sha}, {"type", "commit"}}}}.dump());
    };
    if (method == "GET") {
      return {"ref", [=, this] { return answer(m_repos.ref(owner, repo, branch), ref_json); }};
    }
    if (method == "PATCH") {
      auto body = body_json(request);
      return {"ref", [=, this] {
                if (!body || !body->contains("sha")) {
                  return error(422, "Invalid request: sha is required");
                }
                bool force = body->value("force", false);
                return answer(m_repos.update_ref(owner, repo, branch, (*body)["sha"].get<std::string>(), force),
                              ref_json);
              }};
    }
  }
  if (n == 6 && parts[3] == "git" && parts[4] == "commits" && method == "GET") {
    std::string sha = parts[5];
    // "read", not "commit": a scenario's "2 s per commit" is the cost of making one.
    return {"read", [=, this] {
              return answer(m_repos.commit(owner, repo, sha),
                            [](const json& j) { return http::Response::json(200, j.dump()); });
            }};
  }
  if (n == 5 && parts[3] == "git" && method == "POST") {
    std::string what = parts[4];
    auto body = body_json(request);
    auto created = [](const std::string& sha) { return http::Response::json(201, json{{"sha", sha}}.dump()); };
    if (what == "blobs") {
      return {"blob", [=, this] {
                if (!body || !body->contains("content")) {
                  return error(422, "Invalid request: content is required");
                }
                std::string content = (*body)["content"].get<std::string>();
                if (body->value("encoding", "utf-8") == "base64") {
                  auto decoded = m2g::github::base64_decode(content);
                  if (!decoded) {
                    return error(422, "Invalid base64");
                  }
                  content = std::move(*decoded);
                }
                return answer(m_repos.create_blob(owner, repo, content), created);
              }};
    }
    if (what == "trees") {
      return {"tree", [=, this] {
                if (!body) {
                  return error(400, "Problems parsing JSON");
                }
                if (refused_path(*body)) {
                  return error(422, "tree.path contains a malformed path component");
                }
                return answer(m_repos.create_tree(owner, repo, *body), created);
              }};
    }
    if (what == "commits") {
      return {"commit", [=, this] {
                return body ? answer(m_repos.create_commit(owner, repo, *body), created)
                            : error(400, "Problems parsing JSON");
              }};
    }
  }
  if (n >= 4 && parts[3] == "contents" && method == "GET") {
    std::string path = join(parts, 4);
    std::string ref = request.query_param("ref");
    bool raw = request.header("accept").find("raw") != std::string_view::npos;
    return {"contents", [=, this] {
              return answer(m_repos.contents(owner, repo, path, ref), [&](const Repos::Content& c) {
                if (c.is_dir) {
                  return http::Response::json(200, c.listing.dump());
                }
                if (raw) {
                  http::Response r;
                  r.headers.push_back({"Content-Type", "application/vnd.github.raw"});
                  r.body = c.bytes;
                  return r;
                }
                // As GitHub: past 1 MB the JSON form carries no content.
                bool big = c.bytes.size() > (1 << 20);
                size_t slash = path.rfind('/');
                return http::Response::json(200,
                                            json{{"type", "file"},
                                                 {"name", slash == std::string::npos ? path : path.substr(slash + 1)},
                                                 {"path", path},
                                                 {"sha", c.sha},
                                                 {"size", c.bytes.size()},
                                                 {"encoding", big ? "none" : "base64"},
                                                 {"content", big ? "" : m2g::github::base64_encode(c.bytes)}}
                                                .dump());
              });
            }};
  }
  if (n >= 4 && parts[3] == "issues") {
    std::string user = "m2g";
    if (!m_repos.exists(owner, repo)) {
      return not_found();
    }
    if (n == 4 && method == "POST") {
      auto body = body_json(request);
      return {"issue", [=, this] {
                if (!body || !body->contains("title") || !(*body)["title"].is_string()) {
                  return error(422, "Validation Failed: title is missing");
                }
                return http::Response::json(
                    201, m_issues.create(owner, repo, (*body)["title"], body->value("body", ""), user, now_s).dump());
              }};
    }
    if (n == 4 && method == "GET") {
      std::string state = request.query_param("state");
      std::string since = request.query_param("since");
      std::string sort = request.query_param("sort");
      bool ascending = request.query_param("direction") == "asc";
      std::string per_page = request.query_param("per_page");
      std::string page = request.query_param("page");
      return {
          "issue", [=, this] {
            size_t pp = per_page.empty() ? 30 : std::clamp<size_t>(std::stoul(per_page), 1, 100);
            size_t pg = page.empty() ? 1 : std::max<size_t>(1, std::stoul(page));
            int64_t since_s = since.empty() ? 0 : m2g::github::parse_iso8601(since).value_or(0);
            return http::Response::json(
                200,
                m_issues.list(owner, repo, state.empty() ? "open" : state, since_s, sort, ascending, pp, pg).dump());
          }};
    }
    if (n == 5) {
      int64_t number = 0;
      try {
        number = std::stoll(parts[4]);
      } catch (const std::exception&) {
        return not_found();
      }
      if (method == "GET") {
        return {"issue", [=, this] {
                  auto issue = m_issues.get(owner, repo, number);
                  return issue ? http::Response::json(200, issue->dump()) : error(404, "Not Found");
                }};
      }
      if (method == "PATCH") {
        auto body = body_json(request);
        return {"issue", [=, this] {
                  if (!body) {
                    return error(400, "Problems parsing JSON");
                  }
                  auto issue = m_issues.update(owner, repo, number, *body, now_s);
                  return issue ? http::Response::json(200, issue->dump()) : error(404, "Not Found");
                }};
      }
    }
  }
  return not_found();
}

void add_github_command(CLI::App& fake_command, std::function<int()>& chosen) {
  auto options = std::make_shared<Options>();
  auto host = std::make_shared<std::string>("127.0.0.1");
  auto port = std::make_shared<int>(0);
  auto latency = std::make_shared<std::string>();
  auto window = std::make_shared<std::string>("60s");
  CLI::App* sub = fake_command.add_subcommand("github", "A fake GitHub REST API (Git Data API and issues) over "
                                                        "bare repositories DIR/OWNER/REPO.git");
  sub->add_option("--repos", options->repos_dir, "Directory of bare repositories, DIR/OWNER/REPO.git")->required();
  sub->add_option("--host", *host, "Address to listen on")->capture_default_str();
  sub->add_option("--port", *port, "Port to listen on (0: any free port); the port is printed on stdout")
      ->capture_default_str();
  sub->add_option("--latency", *latency,
                  "Delay answers, e.g. 'commit=2s,tree=100ms' or '50ms' for every kind "
                  "(kinds: repo, ref, read (GET a commit), commit (create one), tree, blob, contents, issue)");
  sub->add_option("--writes-per-minute", options->writes_per_minute,
                  "Secondary limit: content-creating requests per token in any 60 s")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--window", *window, "The secondary limit's window (GitHub: a minute; shorter for tests)")
      ->check(cli::duration_validator())
      ->capture_default_str();
  sub->add_option("--requests-per-hour", options->requests_per_hour, "Primary limit: requests per token and hour")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--limit-status", options->limit_status, "Status of a rate-limit refusal: 403 or 429")
      ->capture_default_str()
      ->check(CLI::IsMember({403, 429}));
  sub->add_option("--first-issue", options->first_issue, "Number of the first issue of each repository")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--refuse-path", options->refuse_paths,
                  "Answer 422 to a tree with a path containing TEXT (repeat), as GitHub does for a path it deems "
                  "malformed");
  auto grants = std::make_shared<std::vector<std::string>>();
  sub->add_option("--grant", *grants,
                  "TOKEN=OWNER/REPO: the token reaches that repository (repeat; with none, every token reaches "
                  "every repository)");
  sub->callback([&chosen, options, host, port, latency, window, grants] {
    chosen = [options, host, port, latency, window, grants] {
      options->window = Millis(cli::parse_duration_ms(*window));
      for (const auto& grant : *grants) {
        add_grant(grant, options->grants).throw_if_failed();
      }
      if (!latency->empty()) {
        options->latency = parse_latency(*latency).take_or_throw();
      }
      event::Loop loop;
      Server server(loop, *options);
      server.listen(*host, *port).throw_if_failed();
      std::printf("%d\n", server.port()); // scripts read the port from the first line
      std::fflush(stdout);
      bool stop = false;
      loop.on_signal(SIGTERM, [&] {
        stop = true;
        loop.stop();
      });
      loop.on_signal(SIGINT, [&] {
        stop = true;
        loop.stop();
      });
      loop.run();
      (void)stop;
      return 0;
    };
  });
}

} // namespace m2g::fake::github
