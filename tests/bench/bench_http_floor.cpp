// bench-http-floor: the least a client can spend to have N chat-completion requests in flight
// at once over HTTP/1.1: N non-blocking connects and one POST each, answers read and the
// sockets closed, on one thread with epoll, no libcurl, no JSON. Against `m2g-bench fake llm
// --latency 5s` its wall time is the bound for m2g-llm's wide benchmark on this machine: what
// remains is the kernel's TCP work and the fake's own.
//
//   bench-http-floor PORT [N]     (N defaults to 10,000; prints seconds to send all, to finish)
#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench-http-floor PORT [N]\n");
    return 64;
  }
  int port = std::atoi(argv[1]);
  int total = argc > 2 ? std::atoi(argv[2]) : 10000;
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
  std::string body =
      R"({"model":"fake","messages":[{"role":"user","content":"note 1: remember to buy milk, eggs and bread"}]})";
  std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\n\r\n" + body;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int epoll = epoll_create1(0);
  auto start = std::chrono::steady_clock::now();
  int sent = 0;
  int done = 0;
  int failed = 0;
  double all_sent = 0;
  char buffer[4096];
  epoll_event events[512];
  // Connects are issued in batches; whatever is writable between batches gets its request.
  auto serve = [&](int timeout_ms) {
    int ready = epoll_wait(epoll, events, 512, timeout_ms);
    for (int i = 0; i < ready; ++i) {
      int fd = events[i].data.fd;
      if ((events[i].events & EPOLLOUT) != 0) {
        if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
          ++failed;
          close(fd);
          continue;
        }
        if (++sent == total) {
          all_sent = seconds_since(start);
        }
        epoll_event in{};
        in.events = EPOLLIN;
        in.data.fd = fd;
        epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &in);
      } else if (recv(fd, buffer, sizeof buffer, 0) > 0) {
        ++done;
        close(fd);
      } else {
        ++failed;
        close(fd);
      }
    }
  };
  for (int i = 0; i < total; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      std::perror("socket");
      return 71;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    epoll_event out{};
    out.events = EPOLLOUT;
    out.data.fd = fd;
    epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &out);
    if (i % 256 == 255) {
      serve(0);
    }
  }
  while (done + failed < total) {
    serve(1000);
  }
  std::printf("%d requests: all sent after %.3f s, all answered after %.3f s, %d failed\n", total, all_sent,
              seconds_since(start), failed);
  return failed == 0 ? 0 : 1;
}
