// Context: the global options, the config, the store, the clock and the output of one run.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "domain/time.hpp"
#include "error.hpp"
#include "output/json_writer.hpp"
#include "output/sink.hpp"
#include "store/store.hpp"

namespace refnet::cli {

// Options every command accepts, before or after the subcommand.
struct GlobalOptions {
  std::string db;
  std::string config;
  std::string format;  // empty: output.format from the config
  std::string color;   // empty: decided by decide_color
  bool no_header = false;
};

// What a command needs from the world, loaded on first use so `--help` and `config path` never
// touch the database. One per process; passed by reference, never global.
class Context {
 public:
  Context(std::ostream& out, std::ostream& err);

  GlobalOptions global;
  std::ostream& out;
  std::ostream& err;
  // What run() returns when the command finishes without an error (a --check sets check_found).
  Exit status = Exit::ok;

  const config::Config& config();
  std::filesystem::path config_path();
  // The database file and where that choice came from ("--db", "REFNET_DB", "config FILE:L:C",
  // "default").
  std::filesystem::path db_path();
  std::string db_path_origin();

  // The store, opened (and migrated) on first use. Store::Open::existing unless a command that
  // creates the database (init, demo) asked first.
  store::Store& store(store::Store::Open mode = store::Store::Open::existing);

  domain::Timestamp now();
  domain::ServiceLevels sla() { return config().sla; }
  std::string actor();  // the OS user who runs the command

  output::Format format();
  output::Options output_options();
  std::unique_ptr<output::RowSink> sink();
  // Prints one written or shown record in the chosen format (json: one object).
  void print_record(std::span<const output::Field> fields);

 private:
  std::optional<config::Config> config_;
  std::unique_ptr<store::Store> store_;
  std::optional<domain::Timestamp> now_;
};

}  // namespace refnet::cli
