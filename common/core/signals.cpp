#include "common/core/signals.hpp"

#include "common/core/exit_codes.hpp"

#include <csignal>

namespace m2g::signals {
namespace {
volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop(int signo) {
  g_stop_signal = signo;
}
} // namespace

void ignore_sigpipe() {
  std::signal(SIGPIPE, SIG_IGN);
}

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: a blocking read returns EINTR and the tool notices
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

int stop_signal() {
  return g_stop_signal;
}

int stop_exit_code() {
  return g_stop_signal == SIGINT ? exit_code::k_sigint : exit_code::k_ok;
}

} // namespace m2g::signals
