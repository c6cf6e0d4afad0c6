// The table of top-level commands, and building and running the command line from it.
#pragma once

#include <iosfwd>
#include <span>

namespace CLI {
class App;
}

namespace refnet::cli {

class Context;

// One row per top-level command: its name, a one-line summary, and the function that adds its
// options and callback to the app. The order here is the order of `refnet --help`.
struct CommandSpec {
  const char* name;
  const char* summary;
  void (*wire)(CLI::App& sub, Context& ctx);
  bool reads_only = false;  // never writes: opens the database without migrating it
};

std::span<const CommandSpec> command_table();

// Builds the command line for these arguments (argv, program name first): global options, every
// command of the table, and the options and callback of the command the arguments name, or of
// every command when they name none.
void build_app(CLI::App& app, Context& ctx, std::span<const char* const> args);

// Runs refnet with these arguments, printing to `out` and errors to `err`, and returns the exit
// status. A command whose transaction the database gave up (store::retryable) is run again, up
// to three times in all, when the failed run printed nothing, read no standard input or
// passphrase, and committed nothing (refnet(1) EXIT STATUS).
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace refnet::cli
