#pragma once
// The few socket calls the server needs, kept apart from the connection logic: a non-blocking
// listening socket, the peer's printable address, and the fd limit that decides how many
// connections a process can hold.

#include "common/core/error.hpp"

#include <string>
#include <sys/socket.h>

namespace m2g::http {

/// A non-blocking, close-on-exec TCP socket listening on `host`:`port` (port 0: the kernel
/// picks one), with SO_REUSEADDR and the given backlog.
Result<int> listen_socket(const std::string& host, int port, int backlog);

/// The port a bound socket listens on, or -1.
int local_port(int fd);

/// "ip:port", or "[ip6]:port" for IPv6; "?" for anything else.
std::string peer_name(const sockaddr_storage& address);

/// Raise the soft RLIMIT_NOFILE to the hard limit (10,000 sockets need more than the usual
/// 1024); returns the soft limit now in force.
long raise_fd_limit();

} // namespace m2g::http
