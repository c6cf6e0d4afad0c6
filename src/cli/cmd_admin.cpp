// init, db, config: where refnet keeps things and how it is set up.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "cli/passphrase.hpp"
#include "common.hpp"
#include "error.hpp"
#include "io/private_file.hpp"
#include "io/sealed.hpp"
#include "transfer.hpp"

namespace refnet::cli {

namespace fs = std::filesystem;

namespace {

// Missing folders of the chain are made 0700 whatever the umask, as the XDG base directory spec
// asks; existing ones are left alone.
void make_folders(const fs::path& folder, std::string_view hint) {
  if (folder.empty() || fs::exists(folder)) return;
  make_folders(folder.parent_path(), hint);
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(Exit::cant_create,
                fmt::format("cannot create folder {}: {}", folder.string(), std::strerror(errno)),
                std::string(hint));
  }
  ::chmod(folder.c_str(), 0700);  // mkdir's mode went through the umask
}

// The config says where the database with patient references is, so it is written 0600: under a
// permissive umask nobody else may point refnet at another file. It goes through a temporary
// file of its own: two inits at once once shared "config.toml.tmp", and one could rename the
// other's half-written file into place.
void write_default_config(const fs::path& path) {
  make_folders(path.parent_path(), "choose another config file with --config or REFNET_CONFIG");
  io::PrivateFile file(path);
  file.stream() << config::default_config_text();
  file.commit();
}

// Makes what was written to `path` (a file or a folder's entries) durable before going on.
void sync_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  const int rc = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (rc != 0 && error != EINVAL) {
    throw Error(Exit::io,
                fmt::format("cannot write {} to disk: {}", path.string(), std::strerror(error)));
  }
}

// The restored database's own audit trail says where it came from: opening it also migrates it
// to this refnet's schema.
void record_restore(Context& ctx, const fs::path& source, bool encrypted) {
  auto& store = ctx.store();
  store::Store::WriteTransaction tx(store);
  store.audit("restore", "database", 0, std::nullopt,
              fmt::format(R"({{"file":{},"encrypted":{}}})", output::json_quote(source.string()),
                          encrypted ? "true" : "false"),
              ctx.actor(), ctx.now(), std::nullopt);
  tx.commit();
}

struct BackupOptions {
  std::string file;
  bool encrypt = false;
  std::optional<int> passphrase_fd;
};

// The whole database, encrypted as it is read: no plaintext copy is written anywhere.
std::uint64_t write_encrypted(Context& ctx, const fs::path& target, const BackupOptions& o) {
  const auto passphrase = read_passphrase(ctx, o.passphrase_fd, true);
  auto& store = ctx.store(store::Store::Open::as_is);
  io::create_new_private(target);
  try {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(Exit::cant_create, fmt::format("cannot write {}", target.string()));
    io::Sealer sealer(out, passphrase.text());
    store.write_image([&](std::span<const unsigned char> piece) { sealer.write(piece); });
    sealer.finish();
    out.close();
    if (!out) throw Error(Exit::io, fmt::format("cannot write {}", target.string()));
    sync_file(target);
  } catch (...) {
    ::unlink(target.c_str());  // no half-written backup is left to be mistaken for a good one
    throw;
  }
  return fs::file_size(target);
}

// db copy: every row of every table into a new database, one transaction there (README "A
// practice on PostgreSQL": moving a network to a server, or back to a file).
void run_copy(Context& ctx, const std::string& to) {
  auto& from = ctx.store(store::Store::Open::reading);
  auto target = ctx.open_other(to, "--to", store::Store::Open::create);
  const auto counts = store::copy_database(from, *target);
  // The copy says where it came from, in its own trail (after the copied entries).
  {
    store::Store::WriteTransaction tx(*target);
    target->audit("copy", "database", 0, std::nullopt,
                  fmt::format(R"({{"from":{}}})", output::json_quote(ctx.db_path().string())),
                  ctx.actor(), ctx.now(), std::nullopt);
    tx.commit();
  }
  std::int64_t total = 0;
  for (const auto& [table, rows] : counts.tables) total += rows;
  if (ctx.format() == output::Format::table) {
    std::vector<std::string> parts;
    for (const auto& [table, rows] : counts.tables)
      parts.push_back(fmt::format("{} {}", rows, table));
    ctx.out << "Copied " << output::sanitize_for_terminal(ctx.db_path().string()) << " to "
            << output::sanitize_for_terminal(to) << ": "
            << fmt::format("{}", fmt::join(parts, ", ")) << '\n';
    return;
  }
  auto sink = ctx.sink();
  const std::vector<output::Column> columns{{"table", "Table"}, {"rows", "Rows", true}};
  sink->begin(columns);
  for (const auto& [table, rows] : counts.tables) {
    sink->row(std::vector<output::Cell>{table, rows});
  }
  sink->end();
}

void run_backup(Context& ctx, const BackupOptions& o) {
  const auto target = config::expand_home(o.file);
  if (o.passphrase_fd && !o.encrypt) {
    throw Error(Exit::usage, "--passphrase-fd goes with --encrypt",
                "refnet db backup FILE --encrypt --passphrase-fd N");
  }
  std::uint64_t bytes = 0;
  if (o.encrypt) {
    bytes = write_encrypted(ctx, target, o);
  } else {
    // The file as it is: an older schema is backed up before, not after, a migration.
    ctx.store(store::Store::Open::as_is).backup_to(target);
    bytes = fs::file_size(target);
  }
  if (ctx.format() == output::Format::table) {
    ctx.out << "Backed up " << output::sanitize_for_terminal(ctx.db_path().string()) << " to "
            << output::sanitize_for_terminal(target.string()) << (o.encrypt ? " (encrypted)" : "")
            << '\n';
    return;
  }
  const std::vector<output::Column> columns{{"database", "Database"},
                                            {"backup", "Backup"},
                                            {"encrypted", "Encrypted"},
                                            {"bytes", "Bytes", true}};
  ctx.print_record(as_fields(columns, {ctx.db_path().string(), target.string(), o.encrypt,
                                       static_cast<std::int64_t>(bytes)}));
}

// A new 0600 file in `folder` for the database being restored, removed again unless kept().
class RestoreFile {
 public:
  explicit RestoreFile(const fs::path& database) {
    std::string name = database.string() + ".restore-XXXXXX";
    const int fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) {
      throw Error(Exit::cant_create,
                  fmt::format("cannot create a file beside {}: {}", database.string(),
                              std::strerror(errno)),
                  "check that its folder exists and can be written");
    }
    ::fchmod(fd, 0600);
    ::close(fd);
    path_ = name;
  }
  RestoreFile(const RestoreFile&) = delete;
  RestoreFile& operator=(const RestoreFile&) = delete;
  ~RestoreFile() {
    if (path_.empty()) return;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      ::unlink((path_.string() + suffix).c_str());
    }
  }
  const fs::path& path() const { return path_; }
  void kept() { path_.clear(); }

 private:
  fs::path path_;
};

void run_restore(Context& ctx, const BackupOptions& o) {
  ctx.now();  // a wrong REFNET_NOW is refused before anything is written
  if (ctx.db_server()) {
    // Others are using a shared database: it is never replaced under them.
    throw Error(Exit::usage, "db restore replaces a database file; this database is on PostgreSQL",
                "copy the backup into a new, empty database: refnet --db BACKUP db copy --to URL "
                "(an encrypted one: db restore it into a file first)");
  }
  const auto source = config::expand_home(o.file);
  const auto database = ctx.db_path();
  const fs::path kept_as = database.string() + ".before-restore";
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    throw Error(Exit::no_input,
                fmt::format("cannot read {}: {}", source.string(), std::strerror(errno)));
  }
  if (fs::exists(kept_as)) {
    throw Error(Exit::cant_create,
                fmt::format("{} is still there from an earlier restore", kept_as.string()),
                "move it away (or delete it once you no longer need it), then restore again");
  }
  char first[16] = {};
  in.read(first, sizeof first);
  const std::string_view head(first, static_cast<std::size_t>(in.gcount()));
  in.clear();
  in.seekg(0);
  const bool sealed = io::is_sealed(head);
  if (!sealed) ctx.warn_if_shared(source);  // a plain backup holds what the database holds
  if (!sealed && head != std::string_view("SQLite format 3\0", 16)) {
    throw Error(Exit::data,
                fmt::format("{} is not a refnet backup: neither an encrypted backup nor a "
                            "database",
                            source.string()),
                "refnet db backup makes backups");
  }
  if (o.passphrase_fd && !sealed) {
    throw Error(Exit::usage,
                fmt::format("{} is not encrypted: it needs no passphrase", source.string()));
  }

  // The backup is written in full, and checked, before anything is replaced; on a new machine
  // the database's folder is made first.
  make_folders(database.parent_path(), "choose another database with --db or REFNET_DB");
  RestoreFile restored(database);
  {
    std::ofstream out(restored.path(), std::ios::binary | std::ios::trunc);
    const auto write = [&](std::span<const unsigned char> piece) {
      out.write(reinterpret_cast<const char*>(piece.data()),
                static_cast<std::streamsize>(piece.size()));
      if (!out) throw Error(Exit::io, fmt::format("cannot write {}", restored.path().string()));
    };
    if (sealed) {
      const auto passphrase = read_passphrase(ctx, o.passphrase_fd, false);
      io::unseal(in, passphrase.text(), write);
    } else {
      std::vector<char> buffer(1 << 20);
      while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        write(std::span<const unsigned char>(reinterpret_cast<unsigned char*>(buffer.data()),
                                             static_cast<std::size_t>(in.gcount())));
      }
      if (in.bad()) throw Error(Exit::io, fmt::format("cannot read {}", source.string()));
    }
    out.close();
    if (!out) throw Error(Exit::io, fmt::format("cannot write {}", restored.path().string()));
  }
  sync_file(restored.path());
  const auto check = store::check_copy(restored.path());
  if (!check.problems.empty()) {
    std::string problems;
    for (const auto& p : check.problems) problems += (problems.empty() ? "" : "; ") + p;
    throw Error(
        Exit::data,
        fmt::format("{} cannot be restored: {}; nothing was changed", source.string(), problems),
        "use another backup");
  }

  const bool replaced = fs::exists(database);
  if (replaced) {
    store::release_for_replace(database, ctx.config().busy_timeout);
    if (::rename(database.c_str(), kept_as.c_str()) != 0) {
      throw Error(Exit::cant_create, fmt::format("cannot rename {} to {}: {}", database.string(),
                                                 kept_as.string(), std::strerror(errno)));
    }
    ::chmod(kept_as.c_str(), 0600);
  }
  if (::rename(restored.path().c_str(), database.c_str()) != 0) {
    const int error = errno;
    if (replaced) ::rename(kept_as.c_str(), database.c_str());  // put the old one back
    throw Error(Exit::cant_create, fmt::format("cannot put the backup in place at {}: {}",
                                               database.string(), std::strerror(error)));
  }
  restored.kept();
  sync_file(database.parent_path());
  record_restore(ctx, source, sealed);
  if (ctx.format() == output::Format::table) {
    ctx.out << "Restored " << output::sanitize_for_terminal(database.string()) << " from "
            << output::sanitize_for_terminal(source.string())
            << fmt::format(" (schema version {})", check.schema_version);
    if (replaced) {
      ctx.out << "; the database it replaced is kept as "
              << output::sanitize_for_terminal(kept_as.string());
    }
    ctx.out << '\n';
    return;
  }
  const std::vector<output::Column> columns{{"database", "Database"},
                                            {"backup", "Backup"},
                                            {"encrypted", "Encrypted"},
                                            {"schema_version", "Schema version", true},
                                            {"replaced", "Replaced"}};
  ctx.print_record(as_fields(
      columns,
      {database.string(), source.string(), sealed, static_cast<std::int64_t>(check.schema_version),
       replaced ? output::Cell(kept_as.string()) : output::Cell()}));
}

}  // namespace

void wire_init(CLI::App& sub, Context& ctx) {
  set_example(sub, "refnet init\n  refnet --db ~/clinic/refnet.db init");
  sub.callback([&ctx] {
    ctx.now();  // a wrong REFNET_NOW is refused before anything is written
    const auto config_path = ctx.config_path();
    const bool had_config = fs::exists(config_path);
    // A broken existing config, or a database location that is no file, is reported before
    // anything is created (a missing config reads as the defaults the new one will hold).
    const auto db_path = ctx.db_path();
    // A server is reached before the config is written: one that cannot be leaves nothing behind.
    if (ctx.db_server()) ctx.store(store::Store::Open::create);
    if (!had_config) write_default_config(config_path);
    auto& store = ctx.store(store::Store::Open::create);
    const bool had_db = !store.created();
    transfer::redaction_key(ctx);  // the per-database secret of `export --redact`
    if (ctx.format() == output::Format::table) {
      ctx.out << (had_config ? "Config:   " : "Wrote config:   ") << config_path.string()
              << (had_config ? " (left as it was)" : "") << '\n';
      ctx.out << (had_db ? "Database: " : "Created database: ") << db_path.string()
              << fmt::format(" (schema version {})", store.schema_version()) << '\n';
    } else {
      const std::vector<output::Column> columns{{"config", "Config"},
                                                {"config_created", "Config created"},
                                                {"database", "Database"},
                                                {"database_created", "Database created"},
                                                {"schema_version", "Schema version", true}};
      ctx.print_record(
          as_fields(columns, {config_path.string(), !had_config, db_path.string(), !had_db,
                              static_cast<std::int64_t>(store.schema_version())}));
    }
  });
}

void wire_db(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  set_example(sub, "refnet db check && refnet db backup ~/refnet-backup.db");
  auto* path = sub.add_subcommand("path", "Print where the database file is");
  set_example(*path, "sqlite3 \"$(refnet db path)\" .tables");
  path->callback([&ctx] { ctx.out << ctx.db_path().string() << '\n'; });

  auto* migrate = sub.add_subcommand(
      "migrate", "Bring the database to this refnet's schema (commands that only read do not)");
  set_example(*migrate, "refnet db migrate && refnet report");
  migrate->callback([&ctx] {
    auto& store = ctx.store();
    say(ctx, fmt::format("{} is at schema version {}, the newest this refnet knows",
                         ctx.db_path().string(), store.schema_version()));
  });

  auto* check = sub.add_subcommand("check", "Check the database's integrity and foreign keys");
  set_example(*check, "refnet db check || echo 'restore a backup'");
  check->callback([&ctx] {
    // A check changes nothing, a migration included: a migration run on a damaged database could
    // only make it worse, so an older schema is refused as by a command that only reads
    // (refnet(1) FILES).
    ctx.reading = true;
    auto& store = ctx.store();
    const auto integrity = store.integrity_problems();
    const auto keys = store.foreign_key_problems();
    const auto counts = store.count_problems();
    const std::vector<output::Column> columns{
        {"check", "Check"}, {"ok", "OK"}, {"detail", "Detail"}};
    auto sink = ctx.sink();
    sink->begin(columns);
    auto report = [&](const char* name, const std::vector<std::string>& problems) {
      if (problems.empty()) {
        sink->row(std::vector<output::Cell>{std::string(name), true, std::string("ok")});
      }
      for (const auto& problem : problems) {
        sink->row(std::vector<output::Cell>{std::string(name), false, problem},
                  output::Tone::alert);
      }
    };
    report("integrity", integrity);
    report("foreign_keys", keys);
    report("counts", counts);
    sink->row(std::vector<output::Cell>{std::string("schema_version"), true,
                                        fmt::format("{}", store.schema_version())});
    sink->end();
    if (const auto count = integrity.size() + keys.size() + counts.size(); count > 0) {
      throw Error(
          Exit::data,
          fmt::format("{} has {} problem{}", ctx.db_path().string(), count, count == 1 ? "" : "s"),
          "restore a backup (refnet db backup makes them), or ask sqlite3's .recover");
    }
  });

  auto* backup =
      sub.add_subcommand("backup", "Copy the database, while in use, to a new file (0600)");
  auto o = std::make_shared<BackupOptions>();
  backup->add_option("FILE", o->file, "The copy to create; an existing file is never overwritten")
      ->required()
      ->type_name("FILE");
  backup->add_flag("--encrypt", o->encrypt,
                   "Encrypt it with a passphrase (asked twice at the terminal, or see "
                   "--passphrase-fd and REFNET_PASSPHRASE_FILE)");
  backup
      ->add_option("--passphrase-fd", o->passphrase_fd,
                   "Read the passphrase from this open file descriptor (with --encrypt)")
      ->type_name("N");
  set_example(
      *backup,
      "refnet db backup ~/backups/refnet-$(date +%F).db\n"
      "  REFNET_PASSPHRASE_FILE=~/.refnet-pass refnet db backup /media/usb/refnet.db.sealed "
      "--encrypt");
  backup->callback([o, &ctx] { run_backup(ctx, *o); });

  auto* copy = sub.add_subcommand(
      "copy", "Copy the whole database, audit trail included, into a new one (file or PostgreSQL)");
  auto to = std::make_shared<std::string>();
  copy->add_option("--to", *to, "Where: a new file, or an empty PostgreSQL database (URL)")
      ->required()
      ->type_name("LOCATION");
  set_example(*copy,
              "refnet db copy --to postgresql://db.example/refnet\n"
              "  refnet --db postgresql://db.example/refnet db copy --to ~/refnet-copy.db");
  copy->callback([to, &ctx] { run_copy(ctx, *to); });

  auto* restore = sub.add_subcommand(
      "restore", "Put a backup (encrypted or not) in place of the database, keeping the old one");
  auto r = std::make_shared<BackupOptions>();
  restore->add_option("FILE", r->file, "The backup to restore")->required()->type_name("FILE");
  restore
      ->add_option("--passphrase-fd", r->passphrase_fd,
                   "Read an encrypted backup's passphrase from this open file descriptor")
      ->type_name("N");
  set_example(*restore, "refnet db restore /media/usb/refnet.db.sealed");
  restore->callback([r, &ctx] { run_restore(ctx, *r); });
}

void wire_config(CLI::App& sub, Context& ctx) {
  sub.require_subcommand(1);
  set_example(sub, "refnet config show");

  auto* path = sub.add_subcommand("path", "Print where the config file is (or would be)");
  set_example(*path, "$EDITOR \"$(refnet config path)\"");
  path->callback([&ctx] { ctx.out << ctx.config_path().string() << '\n'; });

  auto* show = sub.add_subcommand("show", "Every key, its effective value, and where it came from");
  set_example(*show, "refnet config show --format json");
  show->callback([&ctx] {
    const auto& config = ctx.config();
    auto sink = ctx.sink();
    const std::vector<output::Column> columns{
        {"key", "Key"}, {"value", "Value"}, {"origin", "From"}};
    sink->begin(columns);
    for (const auto& [key, value] : config::entries(config)) {
      std::string shown = value;
      std::string origin = "default";
      if (auto it = config.origin.find(key); it != config.origin.end()) origin = it->second;
      if (key == "database.path") {
        shown = ctx.db_path().string();
        origin = ctx.db_path_origin();
      }
      sink->row(std::vector<output::Cell>{key, shown, origin});
    }
    sink->end();
  });

  auto* get = sub.add_subcommand("get", "Print one key's effective value");
  auto key = std::make_shared<std::string>();
  get->add_option("KEY", *key, "A dotted key, e.g. sla.acknowledge.routine")->required();
  set_example(*get, "refnet config get sla.keep_in_touch");
  get->callback([key, &ctx] {
    const auto& config = ctx.config();
    for (const auto& [name, value] : config::entries(config)) {
      if (name != *key) continue;
      ctx.out << (name == "database.path" ? ctx.db_path().string() : value) << '\n';
      return;
    }
    std::string keys;
    for (const auto& [name, value] : config::entries(config))
      keys += (keys.empty() ? "" : ", ") + name;
    throw Error(Exit::usage, fmt::format("unknown config key '{}'", *key), "keys: " + keys);
  });
}

}  // namespace refnet::cli
