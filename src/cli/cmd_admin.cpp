// init, db, config: where refnet keeps things and how it is set up.
#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "common.hpp"
#include "error.hpp"
#include "io/private_file.hpp"
#include "transfer.hpp"

namespace refnet::cli {

namespace fs = std::filesystem;

namespace {

// Missing folders of the chain are made 0700 whatever the umask, as the XDG base directory spec
// asks; existing ones are left alone.
void make_folders(const fs::path& folder) {
  if (folder.empty() || fs::exists(folder)) return;
  make_folders(folder.parent_path());
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(Exit::cant_create,
                fmt::format("cannot create folder {}: {}", folder.string(), std::strerror(errno)),
                "choose another config file with --config or REFNET_CONFIG");
  }
  ::chmod(folder.c_str(), 0700);  // mkdir's mode went through the umask
}

// The config says where the database with patient references is, so it is written 0600: under a
// permissive umask nobody else may point refnet at another file. It goes through a temporary
// file of its own: two inits at once once shared "config.toml.tmp", and one could rename the
// other's half-written file into place.
void write_default_config(const fs::path& path) {
  make_folders(path.parent_path());
  io::PrivateFile file(path);
  file.stream() << config::default_config_text();
  file.commit();
}

}  // namespace

void wire_init(CLI::App& sub, Context& ctx) {
  set_example(sub, "refnet init\n  refnet --db ~/clinic/refnet.db init");
  sub.callback([&ctx] {
    ctx.now();  // a wrong REFNET_NOW is refused before anything is written
    const auto config_path = ctx.config_path();
    const bool had_config = fs::exists(config_path);
    if (!had_config) write_default_config(config_path);
    ctx.config();  // a broken existing config is reported before anything else is created
    const auto db_path = ctx.db_path();
    const bool had_db = fs::exists(db_path);
    auto& store = ctx.store(store::Store::Open::create);
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

  auto* check = sub.add_subcommand("check", "Check the database's integrity and foreign keys");
  set_example(*check, "refnet db check || echo 'restore a backup'");
  check->callback([&ctx] {
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
  auto file = std::make_shared<std::string>();
  backup->add_option("FILE", *file, "The copy to create; an existing file is never overwritten")
      ->required()
      ->type_name("FILE");
  set_example(*backup, "refnet db backup ~/backups/refnet-$(date +%F).db");
  backup->callback([file, &ctx] {
    const auto target = config::expand_home(*file);
    ctx.store().backup_to(target);
    if (ctx.format() == output::Format::table) {
      ctx.out << "Backed up " << output::sanitize_for_terminal(ctx.db_path().string()) << " to "
              << output::sanitize_for_terminal(target.string()) << '\n';
      return;
    }
    const std::vector<output::Column> columns{
        {"database", "Database"}, {"backup", "Backup"}, {"bytes", "Bytes", true}};
    ctx.print_record(as_fields(columns, {ctx.db_path().string(), target.string(),
                                         static_cast<std::int64_t>(fs::file_size(target))}));
  });
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
