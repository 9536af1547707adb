#include "common/core/private_process.hpp"

#include <sys/prctl.h>
#include <sys/stat.h>

namespace m2g {

void make_files_private() {
  ::umask(077);
}

void make_undumpable() {
  // Cannot fail for the values given; a kernel without prctl is no place to run the bot.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

} // namespace m2g
