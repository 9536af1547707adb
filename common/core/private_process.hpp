#pragma once
// A stage's notes, queues, clones and tokens belong to the user who runs the bot and to no one
// else on the machine. The default umask (022) made every file the stages created readable by
// all users, and a core dump or a debugger attached by another process of the same user could
// read the tokens out of memory. Every tool makes what it creates private at startup; a stage
// that holds a secret also makes itself undumpable before it reads one.

namespace m2g {

/// umask(077): files this process creates are 0600 at most, directories 0700.
void make_files_private();

/// prctl(PR_SET_DUMPABLE, 0): no core dump, no ptrace attach by other processes of the same
/// user, and /proc/PID's sensitive files (environ, mem, maps) owned by root. Idempotent.
void make_undumpable();

} // namespace m2g
