// The exit statuses of refnet(1), and Error: a failure the user can act on, with a hint.
#pragma once

#include <stdexcept>
#include <string>

namespace refnet {

// Exit statuses, as refnet(1) EXIT STATUS defines them (sysexits.h values where they exist).
enum class Exit : int {
  ok = 0,
  check_found = 1,  // a --check found something
  usage = 2,        // the command line is wrong: unknown option, bad value, bad date, bad NPI
  data = 65,        // the data is wrong: bad import line, unknown/ambiguous contact, bad transition
  no_input = 66,    // an input file (or the database) is missing
  cant_create = 73,  // the database or an output file cannot be created
  io = 74,           // an I/O error
  locked = 75,       // the database stayed locked past the busy timeout
  config = 78,       // the configuration is wrong
};

// An error the user can act on: main() prints "refnet: <what>" and the hint, and exits with code.
class Error : public std::runtime_error {
 public:
  Error(Exit code, const std::string& what, std::string hint = {})
      : std::runtime_error(what), code_(code), hint_(std::move(hint)) {}

  Exit code() const noexcept { return code_; }
  const std::string& hint() const noexcept { return hint_; }

 private:
  Exit code_;
  std::string hint_;
};

}  // namespace refnet
