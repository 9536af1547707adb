// Clicks: a filing keyboard's button files its message exactly once (a second click is
// answered "already filed"), CANCEL forgets it, an old keyboard has expired; the ✔ and close
// buttons of m2g-commit's lists become done and close jobs, for the clicking chat only and
// only when their MAC verifies. Every click is answered.
#include "common/core/log.hpp"
#include "common/route/callback_data.hpp"
#include "common/route/context.hpp"

namespace m2g::route {
namespace {

bool expired(const Context& ctx, const Pending& p) {
  return ctx.now_ms() - p.created_ms > ctx.s.config.pending_expiry_ms;
}

} // namespace

void on_callback(Context& ctx) {
  const Update& u = ctx.u;
  const CallbackQuery& cb = *u.callback;
  auto data = decode_callback(cb.data);
  if (!data) {
    ctx.out.answer(cb.id, "This button is no longer valid.");
    return;
  }
  bool names_object = data->op == CallbackData::Op::done || data->op == CallbackData::Op::close;
  if (names_object) {
    // Without the instance key nothing can be checked, so nothing is trusted.
    const auto& key = ctx.s.config.instance_key;
    if (!key || !verify_callback(*data, u.chat_id, ButtonSigner(*key))) {
      log::info("chat " + std::to_string(u.chat_id) + ": refused a button whose MAC does not verify");
      ctx.out.answer(cb.id, "This button is no longer valid.");
      return;
    }
  }
  if (data->op != CallbackData::Op::cancel && !may_reach_repository(ctx)) {
    return;
  }
  if (data->op == CallbackData::Op::done) {
    // Always the clicking chat's TODO: the MAC was made for this chat.
    int64_t todo_chat = u.chat_id;
    // The id names the TODO (its chat and message), so two clicks on it are one job.
    auto job = chat_job(ctx, std::to_string(todo_chat) + ":" + std::to_string(data->message_id) + ":done", "done");
    job["target"] = "todo";
    job["file"] = "todo.md";
    job["todo"] = {{"message_id", data->message_id}, {"chat_id", todo_chat}};
    job["message_id"] = cb.message_id;
    ctx.out.answer(cb.id, "Marking the TODO done…");
    ctx.out.progress(job, "queued", 5, "Marking the TODO done…");
    ctx.out.emit(std::move(job));
    return;
  }
  if (data->op == CallbackData::Op::close) {
    auto job = chat_job(ctx, std::to_string(u.chat_id) + ":close:" + std::to_string(u.update_id), "close");
    job["target"] = "issue";
    job["file"] = "issue.md";
    job["issue"] = {{"number", data->number}};
    job["message_id"] = cb.message_id;
    std::string doing = "Closing issue #" + std::to_string(data->number) + "…";
    ctx.out.answer(cb.id, doing);
    ctx.out.progress(job, "queued", 5, doing);
    ctx.out.emit(std::move(job));
    return;
  }

  auto existing = ctx.s.pending.get(u.chat_id, data->message_id);
  if (!existing) {
    return store_failed(ctx, existing.failure());
  }
  if (!*existing || ((*existing)->state == Pending::State::pending && expired(ctx, **existing))) {
    ctx.out.answer(cb.id, "This choice expired, send the message again.", true);
    ctx.out.edit(u.chat_id, cb.message_id, "⌛ This choice expired. Send the message again to file it.");
    if (*existing) {
      (void)ctx.s.pending.mark_cancelled(u.chat_id, data->message_id);
    }
    return;
  }
  Pending p = std::move(**existing);
  if (p.state == Pending::State::filed) {
    if (p.filed_by == cb.id) {
      // The same click delivered again (a restart before its output was handed on): file the
      // same job again; m2g-commit recognises it by its id.
      if (auto filed = file_now(ctx, p, Destination{p.target, p.file}, cb.id, cb.message_id, false); !filed) {
        return store_failed(ctx, filed.failure());
      }
      ctx.out.answer(cb.id, "Saving to " + p.file + "…");
      return;
    }
    ctx.out.answer(cb.id, "Already filed to " + p.file + ".");
    return;
  }
  if (p.state == Pending::State::cancelled) {
    ctx.out.answer(cb.id, "This message was cancelled; send it again to file it.");
    return;
  }
  if (data->op == CallbackData::Op::cancel) {
    if (auto cancelled = ctx.s.pending.mark_cancelled(u.chat_id, p.message_id); !cancelled) {
      return store_failed(ctx, cancelled.failure());
    }
    ctx.out.answer(cb.id, "Cancelled.");
    ctx.out.edit(u.chat_id, cb.message_id, "❌ Cancelled: nothing was filed.");
    return;
  }
  Destination dest;
  if (data->op == CallbackData::Op::file_custom) {
    if (data->custom_index >= p.custom_files.size()) {
      ctx.out.answer(cb.id, "This button is no longer valid.");
      return;
    }
    dest = Destination{"custom", p.custom_files[data->custom_index]};
  } else {
    const Target* target = find_target(data->target);
    if (!p.photo.is_null() && target->name == "todo") {
      ctx.out.answer(cb.id, "A photo cannot be a TODO; choose another place.");
      return;
    }
    dest = Destination{std::string(target->name), std::string(target->file)};
  }
  ctx.out.answer(cb.id, dest.target == "issue" ? "Opening an issue…" : "Saving to " + dest.file + "…");
  if (auto filed = file_now(ctx, std::move(p), dest, cb.id, cb.message_id); !filed) {
    // The answer above already went out; replace it with the failure.
    ctx.out.lines().pop_back();
    store_failed(ctx, filed.failure());
  }
}

} // namespace m2g::route
