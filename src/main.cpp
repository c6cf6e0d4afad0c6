#include <iostream>

#include "refnet/cli/commands.hpp"
#include "refnet/cli/context.hpp"
#include "refnet/error.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  refnet::cli::Context ctx(std::cout, std::cerr);
  const int status = refnet::cli::run(argc, argv, ctx);
  std::cout.flush();
  if (!std::cout) return static_cast<int>(refnet::Exit::io);
  return status;
}
