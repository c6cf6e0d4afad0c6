// Context: the global options, the config, the store, the clock and the output of one run.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "domain/time.hpp"
#include "error.hpp"
#include "output/json_writer.hpp"
#include "output/sink.hpp"
#include "store/store.hpp"

namespace refnet::io {
class PrivateFile;
}

namespace refnet::cli {

// Options every command accepts, before or after the subcommand.
struct GlobalOptions {
  std::string db;
  std::string config;
  std::string format;  // empty: output.format from the config
  std::string color;   // empty: decided by decide_color
  bool no_header = false;
  bool wide = false;
};

// Where a command that prints data sends it, and whether patient references are pseudonymised:
// -o FILE, --redact and --no-redact, which every such command takes (see add_output_options).
struct OutputChoice {
  std::string file;  // empty: standard output
  bool redact = false;
  bool no_redact = false;
};

// What a command needs from the world, loaded on first use so `--help` and `config path` never
// touch the database. One per process; passed by reference, never global.
class Context {
 public:
  Context(std::ostream& out, std::ostream& err);
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context();

  GlobalOptions global;
  OutputChoice output;
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
  // The database's PostgreSQL connection string (a postgresql:// URL or libpq keywords) when the
  // location names one, never with a password in it; nullopt for a file.
  std::optional<std::string> db_server();

  // The store, opened (and migrated) on first use. Store::Open::existing unless a command that
  // creates the database (init, demo) asked first, or the command only reads (`reading`): then
  // Store::Open::reading, which never migrates.
  store::Store& store(store::Store::Open mode = store::Store::Open::existing);
  bool reading = false;
  // Set once the command reads what it could not read again (standard input, a passphrase):
  // then it is not run again when the database gives up its transaction (cli::run).
  bool input_read = false;

  domain::Timestamp now();
  domain::ServiceLevels sla() { return config().sla; }
  std::string actor();  // the OS user who runs the command

  // Whether patient references are printed as pseudonyms: --redact, --no-redact, else
  // output.redact (auto: when what is written is not a terminal).
  bool redacting();
  // Sends `out` into the private file -o named (0600, written whole), when it named one; called
  // before the command runs. commit_output() puts the file in place once the command succeeded;
  // a command that fails leaves nothing behind.
  void open_output();
  void commit_output();
  bool writes_file() const { return output_file_ != nullptr; }
  // One line on stderr, once per file, when `file` (the database, the config, a backup) can be
  // read or written by users other than its owner, with the chmod that fixes it.
  void warn_if_shared(const std::filesystem::path& file);

  output::Format format();
  output::Options output_options();
  std::unique_ptr<output::RowSink> sink();
  // Prints one written or shown record in the chosen format (json: one object).
  void print_record(std::span<const output::Field> fields);

  // Opens another database than the command's own (db copy --to): a file path or a PostgreSQL
  // location, refused as --db refuses one (`option` names it in the message).
  std::unique_ptr<store::Store> open_other(const std::string& location, std::string_view option,
                                           store::Store::Open mode);

 private:
  // The location --db, REFNET_DB or database.path gives, if any.
  std::optional<std::string> given_location();
  // Refuses a location that is a URL of another kind than PostgreSQL's (no file refnet can open,
  // and a folder named "https:" would be made of it otherwise), and a PostgreSQL one with a
  // password in it, before anything is made of it.
  void check_location(std::string_view location);
  void check_location(std::string_view location, std::string_view origin);

  std::optional<config::Config> config_;
  std::unique_ptr<store::Store> store_;
  std::optional<domain::Timestamp> now_;
  std::unique_ptr<io::PrivateFile> output_file_;
  std::streambuf* saved_out_ = nullptr;
  std::vector<std::filesystem::path> warned_;
};

}  // namespace refnet::cli
