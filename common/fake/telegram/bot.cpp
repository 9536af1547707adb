#include "common/fake/telegram/bot.hpp"

namespace m2g::fake::telegram {

Reply error_reply(int status, std::string_view description, std::optional<int> retry_after) {
  json body = {{"ok", false}, {"error_code", status}, {"description", description}};
  if (retry_after) {
    body["parameters"] = {{"retry_after", *retry_after}};
  }
  return Reply{status, body.dump()};
}

Reply ok_reply(const json& result) {
  std::string body = "{\"ok\":true,\"result\":";
  body += result.dump();
  body += '}';
  return Reply{200, std::move(body)};
}

namespace {

Reply failure_reply(const ApiFailure& failure) {
  return error_reply(failure.status, failure.description);
}

Reply too_many(int retry_after) {
  return error_reply(429, "Too Many Requests: retry after " + std::to_string(retry_after), retry_after);
}

} // namespace

Bot::Bot(BotConfig config, Clock& clock)
    : m_config(std::move(config)), m_clock(clock), m_updates(m_config.first_update_id), m_limiter(m_config.limits) {}

void Bot::count_request(std::string_view method) {
  ++m_requests[std::string(method)];
}

json Bot::bot_user() const {
  return {{"id", m_config.bot_id},           {"is_bot", true},          {"first_name", m_config.first_name},
          {"username", m_config.username},   {"can_join_groups", true}, {"can_read_all_group_messages", false},
          {"supports_inline_queries", false}};
}

std::optional<int> Bot::limited(int64_t chat_id) {
  return m_limiter.admit(chat_id, m_clock.now());
}

Reply Bot::call(std::string_view method, const Params& params) {
  // Method names are case-insensitive on Telegram.
  std::string name(method);
  for (auto& c : name) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (name == "getme") {
    return get_me();
  }
  if (name == "sendmessage") {
    return send_message(params);
  }
  if (name == "editmessagetext") {
    return edit_message(params, true);
  }
  if (name == "editmessagereplymarkup") {
    return edit_message(params, false);
  }
  if (name == "deletemessage") {
    return delete_message(params);
  }
  if (name == "answercallbackquery") {
    return answer_callback_query(params);
  }
  if (name == "getfile") {
    return get_file(params);
  }
  if (name == "setwebhook") {
    return set_webhook(params);
  }
  if (name == "deletewebhook") {
    return delete_webhook(params);
  }
  if (name == "getwebhookinfo") {
    return get_webhook_info();
  }
  if (name == "sendchataction") {
    return send_chat_action(params);
  }
  if (name == "getchatmember") {
    return get_chat_member(params);
  }
  return error_reply(404, "Not Found");
}

Reply Bot::get_me() {
  return ok_reply(bot_user());
}

Reply Bot::send_message(const Params& params) {
  auto chat_id = params.get_int("chat_id");
  if (!params.has("chat_id")) {
    return error_reply(400, "Bad Request: chat_id is empty");
  }
  if (!chat_id || !m_chats.has_chat(*chat_id)) {
    // A bot cannot start a conversation: only chats a person has written in exist for it.
    return error_reply(400, "Bad Request: chat not found");
  }
  if (m_blocked.count(*chat_id)) {
    return error_reply(403, "Forbidden: bot was blocked by the user");
  }
  auto text = params.get_string("text");
  if (auto failure = check_text(text)) {
    return failure_reply(*failure);
  }
  json markup;
  if (auto failure = check_markup(params, markup)) {
    return failure_reply(*failure);
  }
  int64_t reply_to = params.get_int("reply_to_message_id").value_or(0);
  if (auto reply_parameters = params.get_json("reply_parameters"); reply_parameters && reply_parameters->is_object()) {
    reply_to = reply_parameters->value("message_id", int64_t{0});
  }
  if (reply_to != 0 && !m_chats.exists(*chat_id, reply_to) && !params.get_bool("allow_sending_without_reply")) {
    return error_reply(400, "Bad Request: message to be replied not found");
  }
  if (auto wait = limited(*chat_id)) {
    return too_many(*wait);
  }
  json message = {{"message_id", m_chats.next_message_id(*chat_id)},
                  {"from", bot_user()},
                  {"chat", chat_object(*chat_id, nullptr)},
                  {"date", m_clock.unix_ms() / 1000},
                  {"text", *text}};
  if (auto entities = params.get_json("entities"); entities && entities->is_array()) {
    message["entities"] = *entities;
  }
  if (!markup.is_null() && markup.contains("inline_keyboard")) {
    message["reply_markup"] = markup;
  }
  m_chats.store(*chat_id, message, true, reply_to);
  if (!m_auto_click.empty() && message.contains("reply_markup")) {
    auto_click_on(*chat_id, message);
  }
  return ok_reply(m_chats.message(*chat_id, message["message_id"].get<int64_t>()).value_or(message));
}

void Bot::auto_click_on(int64_t chat_id, const json& message) {
  for (const auto& row : message["reply_markup"].value("inline_keyboard", json::array())) {
    for (const auto& button : row) {
      std::string data = button.value("callback_data", std::string());
      if (!data.empty() && button.value("text", std::string()).find(m_auto_click) != std::string::npos) {
        Person who;
        who.chat_id = chat_id;
        who.user_id = chat_id > 0 ? chat_id : 1000;
        (void)inject_click(who, message["message_id"].get<int64_t>(), data);
        return;
      }
    }
  }
}

Reply Bot::edit_message(const Params& params, bool text_too) {
  if (params.has("inline_message_id")) {
    return error_reply(400, "Bad Request: MESSAGE_ID_INVALID");
  }
  auto chat_id = params.get_int("chat_id");
  auto message_id = params.get_int("message_id");
  if (!chat_id) {
    return error_reply(400, "Bad Request: chat_id is empty");
  }
  if (!message_id) {
    return error_reply(400, "Bad Request: message identifier is not specified");
  }
  std::optional<std::string> text;
  if (text_too) {
    text = params.get_string("text");
    if (auto failure = check_text(text)) {
      return failure_reply(*failure);
    }
  }
  json markup;
  if (auto failure = check_markup(params, markup)) {
    return failure_reply(*failure);
  }
  if (!text_too && markup.is_null()) {
    markup = json(); // editMessageReplyMarkup without a markup removes the keyboard
  }
  if (m_blocked.count(*chat_id)) {
    return error_reply(403, "Forbidden: bot was blocked by the user");
  }
  if (auto wait = limited(*chat_id)) {
    return too_many(*wait);
  }
  auto edited = m_chats.edit(*chat_id, *message_id, text, markup, m_clock.unix_ms() / 1000);
  if (auto* failure = std::get_if<ApiFailure>(&edited)) {
    return failure_reply(*failure);
  }
  return ok_reply(std::get<json>(edited));
}

Reply Bot::delete_message(const Params& params) {
  auto chat_id = params.get_int("chat_id");
  auto message_id = params.get_int("message_id");
  if (!chat_id) {
    return error_reply(400, "Bad Request: chat_id is empty");
  }
  if (!message_id) {
    return error_reply(400, "Bad Request: message identifier is not specified");
  }
  if (auto failure = m_chats.remove(*chat_id, *message_id)) {
    return failure_reply(*failure);
  }
  return ok_reply(true);
}

Reply Bot::answer_callback_query(const Params& params) {
  auto id = params.get_string("callback_query_id");
  if (!id) {
    return error_reply(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
  }
  if (auto text = params.get_string("text"); text && utf16_length(*text) > 200) {
    return error_reply(400, "Bad Request: MESSAGE_TOO_LONG");
  }
  if (auto failure = m_chats.answer_callback(*id, params.values())) {
    return failure_reply(*failure);
  }
  return ok_reply(true);
}

Reply Bot::get_file(const Params& params) {
  auto file_id = params.get_string("file_id");
  if (!file_id || file_id->empty()) {
    return error_reply(400, "Bad Request: file_id not specified");
  }
  auto it = m_files.find(*file_id);
  if (it == m_files.end()) {
    return error_reply(400, "Bad Request: invalid file_id");
  }
  const StoredFile& file = it->second;
  if (file.bytes.size() > m_config.max_download_bytes) {
    return error_reply(400, "Bad Request: file is too big");
  }
  return ok_reply({{"file_id", file.file_id},
                   {"file_unique_id", file.file_unique_id},
                   {"file_size", file.bytes.size()},
                   {"file_path", file.path}});
}

Reply Bot::set_webhook(const Params& params) {
  auto url = params.get_string("url").value_or("");
  if (!url.empty() && url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) {
    return error_reply(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
  }
  auto secret = params.get_string("secret_token").value_or("");
  if (secret.size() > 256 ||
      secret.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") !=
          std::string::npos) {
    return error_reply(400, "Bad Request: secret token contains unallowed characters");
  }
  if (params.get_bool("drop_pending_updates").value_or(false)) {
    m_updates.clear();
  }
  m_webhook.url = url;
  m_webhook.secret_token = secret;
  m_webhook.max_connections = static_cast<int>(params.get_int("max_connections").value_or(40));
  return ok_reply(true);
}

Reply Bot::delete_webhook(const Params& params) {
  if (params.get_bool("drop_pending_updates").value_or(false)) {
    m_updates.clear();
  }
  m_webhook = Webhook{};
  return ok_reply(true);
}

Reply Bot::get_webhook_info() {
  json info = {
      {"url", m_webhook.url}, {"has_custom_certificate", false}, {"pending_update_count", m_updates.pending()}};
  if (!m_webhook.url.empty()) {
    info["max_connections"] = m_webhook.max_connections;
  }
  if (m_webhook.last_error_date != 0) {
    info["last_error_date"] = m_webhook.last_error_date;
    info["last_error_message"] = m_webhook.last_error;
  }
  return ok_reply(info);
}

Reply Bot::send_chat_action(const Params& params) {
  auto chat_id = params.get_int("chat_id");
  if (!chat_id || !m_chats.has_chat(*chat_id)) {
    return error_reply(400, "Bad Request: chat not found");
  }
  if (!params.get_string("action")) {
    return error_reply(400, "Bad Request: wrong parameter action in request");
  }
  return ok_reply(true);
}

PollDecision Bot::get_updates(const Params& params) {
  PollDecision decision;
  if (!m_webhook.url.empty()) {
    decision.reply = error_reply(
        409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook "
             "first");
    return decision;
  }
  if (params.has("offset") && !params.get_int("offset")) {
    decision.reply = error_reply(400, "Bad Request: wrong parameter offset in request");
    return decision;
  }
  constexpr auto k_max = static_cast<int64_t>(k_max_updates_per_poll);
  decision.limit = static_cast<size_t>(std::clamp<int64_t>(params.get_int("limit").value_or(k_max), 1, k_max));
  decision.timeout_s = static_cast<int>(std::clamp<int64_t>(params.get_int("timeout").value_or(0), 0, 3600));
  if (auto allowed = params.get_json("allowed_updates")) {
    if (!allowed->is_array()) {
      decision.reply = error_reply(400, "Bad Request: can't parse allowed updates");
      return decision;
    }
    m_allowed_updates.clear();
    for (const auto& kind : *allowed) {
      if (kind.is_string()) {
        m_allowed_updates.insert(kind.get<std::string>());
      }
    }
  }
  m_updates.confirm(params.get_int("offset").value_or(0));
  if (decision.timeout_s == 0 || has_updates()) {
    decision.reply = poll_now(decision.limit);
  }
  return decision;
}

bool Bot::has_updates() {
  return !m_updates.peek(1, m_allowed_updates).empty();
}

Reply Bot::poll_now(size_t limit) {
  return Reply{200, UpdateStore::response_body(m_updates.peek(limit, m_allowed_updates))};
}

void Bot::set_blocked(int64_t chat_id, bool blocked) {
  if (blocked) {
    m_blocked.insert(chat_id);
  } else {
    m_blocked.erase(chat_id);
  }
}

void Bot::set_webhook_for_test(const std::string& url, const std::string& secret) {
  m_webhook.url = url;
  m_webhook.secret_token = secret;
}

json Bot::chat_state(int64_t chat_id) const {
  json callbacks = json::array();
  for (const auto& [id, record] : m_chats.callbacks()) {
    if (record.chat_id == chat_id) {
      callbacks.push_back({{"id", id},
                           {"message_id", record.message_id},
                           {"data", record.data},
                           {"answered", record.answered},
                           {"answer", record.answer}});
    }
  }
  return {{"chat_id", chat_id}, {"messages", m_chats.bot_messages(chat_id)}, {"callbacks", callbacks}};
}

json Bot::stats() const {
  json requests = json::object();
  for (const auto& [method, count] : m_requests) {
    requests[method] = count;
  }
  return {{"requests", requests},
          {"pending_updates", m_updates.pending()},
          {"next_update_id", m_updates.next_id()},
          {"webhook", {{"url", m_webhook.url}, {"secret_token_set", !m_webhook.secret_token.empty()}}},
          {"chats", m_chats.chat_ids()}};
}

const StoredFile* Bot::file_by_path(const std::string& path) const {
  auto it = m_file_paths.find(path);
  if (it == m_file_paths.end()) {
    return nullptr;
  }
  return &m_files.at(it->second);
}

void Bot::reset() {
  m_updates.clear();
  m_chats.clear();
  m_limiter.clear();
  m_webhook = Webhook{};
  m_allowed_updates.clear();
  m_blocked.clear();
  m_admins.clear();
  m_auto_click.clear();
  m_files.clear();
  m_file_paths.clear();
  m_requests.clear();
}

} // namespace m2g::fake::telegram
