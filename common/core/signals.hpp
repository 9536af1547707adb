#pragma once
// Signal policy for tools without an event loop (the loop has Loop::on_signal): SIGPIPE is
// ignored so a write to a vanished reader fails with EPIPE instead of killing the process
// mid-commit, and SIGTERM/SIGINT set a flag and interrupt blocking reads (no SA_RESTART) so
// the tool stops reading, finishes what it holds, and exits.

namespace m2g::signals {

void ignore_sigpipe();
/// Install the SIGTERM/SIGINT flag handlers.
void install_stop_handlers();
/// The signal that asked us to stop, or 0.
int stop_signal();
inline bool stop_requested() {
  return stop_signal() != 0;
}
/// The exit code for a clean stop: 0 after SIGTERM, 130 after SIGINT.
int stop_exit_code();

} // namespace m2g::signals
