// main(): runs refnet's command line; a failed write to stdout ends with the I/O exit status.
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "error.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // Without TZ, glibc's mktime stats /etc/localtime on every call to see whether it changed: two
  // system calls per generated referral in a million-referral demo. Naming the same file reads it
  // once; the zone is the same one.
  if (std::getenv("TZ") == nullptr) ::setenv("TZ", ":/etc/localtime", 0);
  const int status = refnet::cli::run(argc, argv, std::cout, std::cerr);
  std::cout.flush();
  if (!std::cout) return static_cast<int>(refnet::Exit::io);
  return status;
}
