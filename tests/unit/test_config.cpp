// Unit tests for src/config: loading, errors with file:line:column, defaults text, file lookup.

#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "error.hpp"

namespace fs = std::filesystem;
using refnet::Error;
using refnet::Exit;
using refnet::config::Config;
using refnet::domain::Duration;
using Unit = refnet::domain::Duration::Unit;

namespace {

// A scratch folder under /tmp for one test, removed with everything in it afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = "/tmp/refnet-config-test-XXXXXX";
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const fs::path& path() const { return path_; }

  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << text;
    REQUIRE(out.good());
    return file;
  }

 private:
  fs::path path_;
};

// Sets or unsets environment variables for one test and puts the old values back after it.
class EnvGuard {
 public:
  ~EnvGuard() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        unsetenv(it->first.c_str());
      }
    }
  }
  void set(const std::string& name, const std::string& value) {
    save(name);
    setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& name) {
    save(name);
    unsetenv(name.c_str());
  }

 private:
  void save(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

struct Failure {
  Exit code;
  std::string message;
  std::string hint;
};

// Loads `text` from a scratch config.toml and returns the error it must raise.
Failure load_error(const ScratchDir& dir, const std::string& text, fs::path* file = nullptr) {
  const fs::path path = dir.write("config.toml", text);
  if (file != nullptr) *file = path;
  try {
    refnet::config::load(path);
  } catch (const Error& error) {
    return {error.code(), error.what(), error.hint()};
  }
  FAIL("load() accepted: " << text);
  return {};
}

Config load_text(const ScratchDir& dir, const std::string& text) {
  return refnet::config::load(dir.write("config.toml", text));
}

// Every effective value of `config` equals the built-in default.
void check_defaults(const Config& config) {
  CHECK_FALSE(config.database_path.has_value());
  CHECK(config.busy_timeout == std::chrono::milliseconds(5000));
  CHECK(config.practice_name.empty());
  CHECK(config.sla.followup_after_referral == Duration{24, Unit::hours});
  CHECK(config.sla.followup_after_meeting == Duration{24, Unit::hours});
  CHECK(config.sla.report_back_within == Duration{14, Unit::days});
  CHECK(config.sla.keep_in_touch == Duration{90, Unit::days});
  CHECK(config.sla.acknowledge_routine == Duration{2, Unit::business_days});
  CHECK(config.sla.acknowledge_urgent == Duration{24, Unit::hours});
  CHECK(config.sla.acknowledge_emergent == Duration{2, Unit::hours});
  CHECK(config.sla.calendar.holidays.empty());
  CHECK(config.at_risk_recent == Duration{90, Unit::days});
  CHECK(config.at_risk_baseline == Duration{365, Unit::days});
  CHECK(config.at_risk_critical_drop == 100);
  CHECK(config.at_risk_high_drop == 60);
  CHECK(config.at_risk_medium_drop == 30);
  CHECK(config.at_risk_min_baseline == 3);
  CHECK(config.closed_loop_target == 80);
  CHECK(config.output_color == "auto");
  CHECK(config.output_format == "table");
}

}  // namespace

// The message without the scratch folder's name, which changes every run.
std::string relative(const fs::path& file, const std::string& message) {
  const std::string prefix = file.string();
  REQUIRE(message.starts_with(prefix));
  return "FILE" + message.substr(prefix.size());
}

TEST_CASE("a missing file gives every default") {
  ScratchDir dir;
  const fs::path path = dir.path() / "nowhere" / "config.toml";
  const Config config = refnet::config::load(path);
  CHECK(config.file == path);
  CHECK_FALSE(config.file_exists);
  CHECK(config.origin.empty());
  check_defaults(config);
}

TEST_CASE("an empty file exists and gives every default") {
  ScratchDir dir;
  const Config config = load_text(dir, "# nothing set yet\n");
  CHECK(config.file_exists);
  CHECK(config.file == dir.path() / "config.toml");
  CHECK(config.origin.empty());
  check_defaults(config);
}

TEST_CASE("every key can be set, and its origin is where the file set it") {
  ScratchDir dir;
  const fs::path path = dir.write("config.toml", R"(# every key, each away from its default
[database]
path = "~/clinic/refnet.db"
busy_timeout = "750ms"
[practice]
name = "Lakeside Cardiology"
[sla]
followup_after_referral = "12h"
followup_after_meeting = "2d"
report_back_within = "1w"
keep_in_touch = "60d"
[sla.acknowledge]
routine = "3bd"
urgent = "8h"
emergent = "30m"
[calendar]
holidays = ["2026-12-25", 2027-01-01]
[report]
at_risk_recent = "30d"
at_risk_baseline = "180d"
at_risk_critical_drop = 90
at_risk_high_drop = 50
at_risk_medium_drop = 20
at_risk_min_baseline = 5
closed_loop_target = 70
[output]
color = "never"
format = "json"
redact = "auto"
wide = true
[export]
ics_keep_closed = "14d"
)");
  const Config config = refnet::config::load(path);
  CHECK(config.file_exists);
  CHECK(config.database_path == std::optional<std::string>("~/clinic/refnet.db"));
  CHECK(config.busy_timeout == std::chrono::milliseconds(750));
  CHECK(config.practice_name == "Lakeside Cardiology");
  CHECK(config.sla.followup_after_referral == Duration{12, Unit::hours});
  CHECK(config.sla.followup_after_meeting == Duration{2, Unit::days});
  CHECK(config.sla.report_back_within == Duration{1, Unit::weeks});
  CHECK(config.sla.keep_in_touch == Duration{60, Unit::days});
  CHECK(config.sla.acknowledge_routine == Duration{3, Unit::business_days});
  CHECK(config.sla.acknowledge_urgent == Duration{8, Unit::hours});
  CHECK(config.sla.acknowledge_emergent == Duration{30, Unit::minutes});
  const std::vector<refnet::domain::LocalDate> holidays{std::chrono::year{2026} / 12 / 25,
                                                        std::chrono::year{2027} / 1 / 1};
  CHECK(config.sla.calendar.holidays == holidays);
  CHECK(config.at_risk_recent == Duration{30, Unit::days});
  CHECK(config.at_risk_baseline == Duration{180, Unit::days});
  CHECK(config.at_risk_critical_drop == 90);
  CHECK(config.at_risk_high_drop == 50);
  CHECK(config.at_risk_medium_drop == 20);
  CHECK(config.at_risk_min_baseline == 5);
  CHECK(config.closed_loop_target == 70);
  CHECK(config.output_color == "never");
  CHECK(config.output_format == "json");
  CHECK(config.output_redact == "auto");
  CHECK(config.output_wide);
  CHECK(config.ics_keep_closed == Duration{14, Unit::days});

  const std::string file = path.string();
  const std::map<std::string, std::string> origin{
      {"database.path", file + ":3:1"},
      {"database.busy_timeout", file + ":4:1"},
      {"practice.name", file + ":6:1"},
      {"sla.followup_after_referral", file + ":8:1"},
      {"sla.followup_after_meeting", file + ":9:1"},
      {"sla.report_back_within", file + ":10:1"},
      {"sla.keep_in_touch", file + ":11:1"},
      {"sla.acknowledge.routine", file + ":13:1"},
      {"sla.acknowledge.urgent", file + ":14:1"},
      {"sla.acknowledge.emergent", file + ":15:1"},
      {"calendar.holidays", file + ":17:1"},
      {"report.at_risk_recent", file + ":19:1"},
      {"report.at_risk_baseline", file + ":20:1"},
      {"report.at_risk_critical_drop", file + ":21:1"},
      {"report.at_risk_high_drop", file + ":22:1"},
      {"report.at_risk_medium_drop", file + ":23:1"},
      {"report.at_risk_min_baseline", file + ":24:1"},
      {"report.closed_loop_target", file + ":25:1"},
      {"output.color", file + ":27:1"},
      {"output.format", file + ":28:1"},
      {"output.redact", file + ":29:1"},
      {"output.wide", file + ":30:1"},
      {"export.ics_keep_closed", file + ":32:1"},
  };
  CHECK(config.origin == origin);

  const std::vector<std::pair<std::string, std::string>> expected{
      {"database.path", "~/clinic/refnet.db"},
      {"database.busy_timeout", "750ms"},
      {"practice.name", "Lakeside Cardiology"},
      {"sla.followup_after_referral", "12h"},
      {"sla.followup_after_meeting", "2d"},
      {"sla.report_back_within", "1w"},
      {"sla.keep_in_touch", "60d"},
      {"sla.acknowledge.routine", "3bd"},
      {"sla.acknowledge.urgent", "8h"},
      {"sla.acknowledge.emergent", "30m"},
      {"calendar.holidays", R"(["2026-12-25", "2027-01-01"])"},
      {"report.at_risk_recent", "30d"},
      {"report.at_risk_baseline", "180d"},
      {"report.at_risk_critical_drop", "90"},
      {"report.at_risk_high_drop", "50"},
      {"report.at_risk_medium_drop", "20"},
      {"report.at_risk_min_baseline", "5"},
      {"report.closed_loop_target", "70"},
      {"output.color", "never"},
      {"output.format", "json"},
      {"output.redact", "auto"},
      {"output.wide", "true"},
      {"export.ics_keep_closed", "14d"},
  };
  CHECK(refnet::config::entries(config) == expected);
}

TEST_CASE("entries lists every key in file order at its default") {
  const std::vector<std::pair<std::string, std::string>> expected{
      {"database.path", ""},
      {"database.busy_timeout", "5s"},
      {"practice.name", ""},
      {"sla.followup_after_referral", "24h"},
      {"sla.followup_after_meeting", "24h"},
      {"sla.report_back_within", "14d"},
      {"sla.keep_in_touch", "90d"},
      {"sla.acknowledge.routine", "2bd"},
      {"sla.acknowledge.urgent", "24h"},
      {"sla.acknowledge.emergent", "2h"},
      {"calendar.holidays", "[]"},
      {"report.at_risk_recent", "90d"},
      {"report.at_risk_baseline", "365d"},
      {"report.at_risk_critical_drop", "100"},
      {"report.at_risk_high_drop", "60"},
      {"report.at_risk_medium_drop", "30"},
      {"report.at_risk_min_baseline", "3"},
      {"report.closed_loop_target", "80"},
      {"output.color", "auto"},
      {"output.format", "table"},
      {"output.redact", "never"},
      {"output.wide", "false"},
      {"export.ics_keep_closed", "30d"},
  };
  CHECK(refnet::config::entries(Config{}) == expected);
}

TEST_CASE("a dotted key is the same as its table, and its origin points at the key") {
  ScratchDir dir;
  const fs::path path =
      dir.write("config.toml", "sla.acknowledge.routine = \"1bd\"\noutput.format = \"csv\"\n");
  const Config config = refnet::config::load(path);
  CHECK(config.sla.acknowledge_routine == Duration{1, Unit::business_days});
  CHECK(config.output_format == "csv");
  CHECK(config.origin.size() == 2);
  CHECK(config.origin.at("sla.acknowledge.routine") == path.string() + ":1:17");
  CHECK(config.origin.at("output.format") == path.string() + ":2:8");
}

TEST_CASE("busy_timeout takes milliseconds, seconds, minutes or a bare number of milliseconds") {
  ScratchDir dir;
  struct Case {
    std::string value;
    long long ms;
    std::string shown;
  };
  for (const Case& c : std::vector<Case>{{R"("500ms")", 500, "500ms"},
                                         {R"("5s")", 5000, "5s"},
                                         {R"("2m")", 120000, "2m"},
                                         {R"("120s")", 120000, "2m"},
                                         {R"("1500ms")", 1500, "1500ms"},
                                         {R"("0s")", 0, "0s"},
                                         {"750", 750, "750ms"},
                                         {"0", 0, "0s"},
                                         {"2147483647", 2147483647, "2147483647ms"}}) {
    CAPTURE(c.value);
    const Config config = load_text(dir, "[database]\nbusy_timeout = " + c.value + "\n");
    CHECK(config.busy_timeout == std::chrono::milliseconds(c.ms));
    CHECK(refnet::config::entries(config)[1] ==
          std::pair<std::string, std::string>("database.busy_timeout", c.shown));
  }
}

TEST_CASE("calendar.holidays takes quoted strings and TOML dates, sorted without duplicates") {
  ScratchDir dir;
  using std::chrono::year;
  SUBCASE("strings") {
    const Config config =
        load_text(dir, "[calendar]\nholidays = [\"2026-12-25\", \"2026-01-01\"]\n");
    const std::vector<refnet::domain::LocalDate> expected{year{2026} / 1 / 1, year{2026} / 12 / 25};
    CHECK(config.sla.calendar.holidays == expected);
  }
  SUBCASE("TOML local dates") {
    const Config config = load_text(dir, "[calendar]\nholidays = [2026-12-25, 2026-11-26]\n");
    const std::vector<refnet::domain::LocalDate> expected{year{2026} / 11 / 26,
                                                          year{2026} / 12 / 25};
    CHECK(config.sla.calendar.holidays == expected);
    CHECK(refnet::config::entries(config)[10].second == R"(["2026-11-26", "2026-12-25"])");
  }
  SUBCASE("mixed, with the same day twice") {
    const Config config =
        load_text(dir, "[calendar]\nholidays = [\"2026-12-25\", 2026-12-25, \"2026-07-03\"]\n");
    const std::vector<refnet::domain::LocalDate> expected{year{2026} / 7 / 3, year{2026} / 12 / 25};
    CHECK(config.sla.calendar.holidays == expected);
  }
  SUBCASE("empty") {
    const Config config = load_text(dir, "[calendar]\nholidays = []\n");
    CHECK(config.sla.calendar.holidays.empty());
    CHECK(config.origin.count("calendar.holidays") == 1);
  }
}

TEST_CASE("an empty database.path means the default location") {
  ScratchDir dir;
  const Config config = load_text(dir, "[database]\npath = \"\"\n");
  CHECK_FALSE(config.database_path.has_value());
  CHECK(config.origin.count("database.path") == 1);
  CHECK(refnet::config::entries(config)[0].second.empty());
}

TEST_CASE("output.color and output.format ignore case and are kept in lower case") {
  ScratchDir dir;
  const Config config =
      load_text(dir, "[output]\ncolor = \"Always\"\nformat = \"TSV\"\nredact = \"AUTO\"\n");
  CHECK(config.output_color == "always");
  CHECK(config.output_format == "tsv");
  CHECK(config.output_redact == "auto");
}

TEST_CASE("a TOML syntax error names file, line and column") {
  ScratchDir dir;
  fs::path file;
  SUBCASE("missing value") {
    const Failure failure = load_error(dir, "[database]\nbusy_timeout = \n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:2:16: TOML syntax error: error while parsing key-value pair: expected value, "
          "saw '\\n'");
  }
  SUBCASE("a key given twice") {
    const Failure failure =
        load_error(dir, "[output]\ncolor = \"never\"\ncolor = \"always\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message)
              .starts_with("FILE:3:9: TOML syntax error: error while parsing key-value pair: "
                           "cannot redefine existing string 'color'"));
  }
}

TEST_CASE("an unknown key is an error with a did-you-mean") {
  ScratchDir dir;
  fs::path file;
  SUBCASE("a misspelled table, named by its first key") {
    const Failure failure = load_error(
        dir,
        "[sla]\nkeep_in_touch = \"60d\"\n[sla.acknowledg]\nurgent = \"8h\"\nroutine = \"1bd\"\n",
        &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) == "FILE:3:6: unknown key 'sla.acknowledg.urgent'");
    CHECK(failure.hint == "did you mean 'sla.acknowledge.urgent'?");
  }
  SUBCASE("a misspelled dotted key") {
    const Failure failure =
        load_error(dir, "# refnet\n\nsla.acknowledg.routine = \"2bd\"\n", &file);
    CHECK(relative(file, failure.message) == "FILE:3:5: unknown key 'sla.acknowledg.routine'");
    CHECK(failure.hint == "did you mean 'sla.acknowledge.routine'?");
  }
  SUBCASE("a misspelled key in a known table") {
    const Failure failure = load_error(dir, "[output]\ncolour = \"never\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) == "FILE:2:1: unknown key 'output.colour'");
    CHECK(failure.hint == "did you mean 'output.color'?");
  }
  SUBCASE("the right key in the wrong table") {
    const Failure failure = load_error(dir, "[database]\ncolor = \"never\"\n", &file);
    CHECK(relative(file, failure.message) == "FILE:2:1: unknown key 'database.color'");
    CHECK(failure.hint == "did you mean 'output.color'?");
  }
  SUBCASE("nothing close: the hint lists the table's keys") {
    const Failure failure = load_error(dir, "[database]\ntimeout = \"5s\"\n", &file);
    CHECK(relative(file, failure.message) == "FILE:2:1: unknown key 'database.timeout'");
    CHECK(failure.hint == "valid keys in [database]: path, busy_timeout");
  }
  SUBCASE("an unknown table inside a known one") {
    const Failure failure = load_error(dir, "[sla.reminders]\nevery = \"1d\"\n", &file);
    CHECK(relative(file, failure.message) == "FILE:1:6: unknown table 'sla.reminders'");
    CHECK(failure.hint ==
          "valid keys in [sla]: followup_after_referral, followup_after_meeting, "
          "report_back_within, keep_in_touch, acknowledge");
  }
  SUBCASE("an unknown top-level table, even an empty one") {
    const Failure failure = load_error(dir, "\n[alerts]\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) == "FILE:2:2: unknown table 'alerts'");
    CHECK(failure.hint ==
          "valid tables: database, practice, sla, calendar, report, output, export");
  }
  SUBCASE("a key outside every table") {
    const Failure failure = load_error(dir, "format = \"csv\"\n", &file);
    CHECK(relative(file, failure.message) == "FILE:1:1: unknown key 'format'");
    CHECK(failure.hint == "did you mean 'output.format'?");
  }
}

TEST_CASE("a value of the wrong type names the key and what it expects") {
  ScratchDir dir;
  fs::path file;
  SUBCASE("a boolean busy_timeout") {
    const Failure failure = load_error(dir, "[database]\nbusy_timeout = true\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:2:16: key 'database.busy_timeout': expected a duration string like \"5s\" (N "
          "followed by ms, s or m) or a number of milliseconds, not a boolean");
  }
  SUBCASE("a bare number for a duration") {
    const Failure failure = load_error(dir, "[sla]\nkeep_in_touch = 90\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:17: key 'sla.keep_in_touch': expected a duration string like \"90d\" (N "
          "followed by m, h, d, w or bd), not an integer");
  }
  SUBCASE("a number for a name") {
    const Failure failure = load_error(dir, "[practice]\nname = 42\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:8: key 'practice.name': expected a string, not an integer");
  }
  SUBCASE("a known table given as a value") {
    const Failure failure = load_error(dir, "sla = \"fast\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:1:7: key 'sla': expected a table ([sla]), not a string");
  }
  SUBCASE("a key given as a table") {
    const Failure failure = load_error(dir, "[output.color]\nvalue = \"never\"\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:1:1: key 'output.color': expected one of \"auto\", \"always\" or \"never\", not "
          "a table");
  }
  SUBCASE("a single date for holidays") {
    const Failure failure = load_error(dir, "[calendar]\nholidays = \"2026-12-25\"\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:12: key 'calendar.holidays': expected an array of dates like "
          "[\"2026-12-25\"], not a string");
  }
  SUBCASE("a number among the holidays") {
    const Failure failure =
        load_error(dir, "[calendar]\nholidays = [\"2026-12-25\", 20261225]\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:27: key 'calendar.holidays': expected dates like \"2026-12-25\", not an "
          "integer");
  }
  SUBCASE("a date-time among the holidays") {
    const Failure failure =
        load_error(dir, "[calendar]\nholidays = [2026-12-24T12:00:00]\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:13: key 'calendar.holidays': expected dates like \"2026-12-25\", not a "
          "date-time");
  }
}

TEST_CASE("a bad value names the key and the accepted forms") {
  ScratchDir dir;
  fs::path file;
  SUBCASE("an unparseable duration") {
    const Failure failure = load_error(dir, "[sla.acknowledge]\nurgent = \"1 day\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:2:10: key 'sla.acknowledge.urgent': invalid duration \"1 day\": expected N "
          "followed by m, h, d, w or bd (business days), like \"24h\"");
  }
  SUBCASE("a negative duration") {
    const Failure failure = load_error(dir, "[report]\nat_risk_recent = \"-30d\"\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:18: key 'report.at_risk_recent': invalid duration \"-30d\": expected N "
          "followed by m, h, d, w or bd (business days), like \"90d\"");
  }
  SUBCASE("a busy timeout in hours") {
    const Failure failure = load_error(dir, "[database]\nbusy_timeout = \"1h\"\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:16: key 'database.busy_timeout': invalid duration \"1h\": expected N followed "
          "by ms, s or m, like \"5s\" or \"500ms\", at most 2147483647ms");
  }
  SUBCASE("a busy timeout longer than SQLite takes") {
    const Failure failure = load_error(dir, "[database]\nbusy_timeout = \"40000m\"\n", &file);
    CHECK(relative(file, failure.message)
              .starts_with("FILE:2:16: key 'database.busy_timeout': invalid duration \"40000m\""));
  }
  SUBCASE("a negative busy timeout") {
    const Failure failure = load_error(dir, "[database]\nbusy_timeout = -1\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:16: key 'database.busy_timeout': -1 milliseconds is out of range: expected 0 "
          "to 2147483647");
  }
  SUBCASE("a colour that is not auto, always or never") {
    const Failure failure = load_error(dir, "[output]\ncolor = \"blue\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:2:9: key 'output.color': invalid value \"blue\": expected one of \"auto\", "
          "\"always\" or \"never\"");
  }
  SUBCASE("a redaction choice that is not auto, always or never") {
    const Failure failure = load_error(dir, "[output]\nredact = \"yes\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:2:10: key 'output.redact': invalid value \"yes\": expected one of \"auto\", "
          "\"always\" or \"never\"");
  }
  SUBCASE("output.wide that is not true or false") {
    const Failure failure = load_error(dir, "[output]\nwide = \"yes\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message).find("key 'output.wide'") != std::string::npos);
    CHECK(relative(file, failure.message).find("true or false") != std::string::npos);
  }
  SUBCASE("a format refnet does not write") {
    const Failure failure = load_error(dir, "[output]\nformat = \"xml\"\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:10: key 'output.format': invalid value \"xml\": expected one of \"table\", "
          "\"csv\", \"tsv\" or \"json\"");
  }
  SUBCASE("a holiday that is not YYYY-MM-DD") {
    const Failure failure =
        load_error(dir, "[calendar]\nholidays = [\"2026-12-25\", \"12/31/2026\"]\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:27: key 'calendar.holidays': invalid date \"12/31/2026\": expected YYYY-MM-DD, "
          "like \"2026-12-25\"");
  }
  SUBCASE("a holiday that does not exist") {
    const Failure failure = load_error(dir, "[calendar]\nholidays = [\"2026-02-30\"]\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:13: key 'calendar.holidays': invalid date \"2026-02-30\": expected YYYY-MM-DD, "
          "like \"2026-12-25\"");
  }
}

TEST_CASE("the at-risk baseline must be longer than the recent window") {
  ScratchDir dir;
  fs::path file;
  SUBCASE("both set, reported at the baseline") {
    const Failure failure =
        load_error(dir, "[report]\nat_risk_recent = \"180d\"\nat_risk_baseline = \"90d\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:3:1: key 'report.at_risk_baseline' (90d) must be longer than key "
          "'report.at_risk_recent' (180d)");
  }
  SUBCASE("only the recent window set, past the default baseline") {
    const Failure failure = load_error(dir, "[report]\nat_risk_recent = \"53w\"\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:1: key 'report.at_risk_baseline' (365d) must be longer than key "
          "'report.at_risk_recent' (53w)");
  }
  SUBCASE("equal lengths in different units") {
    const Failure failure =
        load_error(dir, "[report]\nat_risk_recent = \"4w\"\nat_risk_baseline = \"28d\"\n", &file);
    CHECK(relative(file, failure.message).starts_with("FILE:3:1: key 'report.at_risk_baseline'"));
  }
  SUBCASE("business days count as 7/5 of a day") {
    CHECK_THROWS_AS(
        load_text(dir, "[report]\nat_risk_recent = \"60bd\"\nat_risk_baseline = \"84d\"\n"), Error);
    const Config config =
        load_text(dir, "[report]\nat_risk_recent = \"60bd\"\nat_risk_baseline = \"85d\"\n");
    CHECK(config.at_risk_recent == Duration{60, Unit::business_days});
    CHECK(config.at_risk_baseline == Duration{85, Unit::days});
  }
}

TEST_CASE("the at-risk thresholds are integers in range, graded medium <= high <= critical") {
  ScratchDir dir;
  fs::path file;
  SUBCASE("a percent written as a string") {
    const Failure failure = load_error(dir, "[report]\nat_risk_high_drop = \"60%\"\n", &file);
    CHECK(failure.code == Exit::config);
    CHECK(relative(file, failure.message) ==
          "FILE:2:21: key 'report.at_risk_high_drop': expected an integer from 1 to 100, like 60, "
          "not a string");
  }
  SUBCASE("a percent above 100") {
    const Failure failure = load_error(dir, "[report]\nat_risk_critical_drop = 101\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:25: key 'report.at_risk_critical_drop': 101 is out of range: expected 1 to 100");
  }
  SUBCASE("a zero percent would flag steady referrers") {
    const Failure failure = load_error(dir, "[report]\nat_risk_medium_drop = 0\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:23: key 'report.at_risk_medium_drop': 0 is out of range: expected 1 to 100");
  }
  SUBCASE("a minimum baseline of zero") {
    const Failure failure = load_error(dir, "[report]\nat_risk_min_baseline = 0\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:24: key 'report.at_risk_min_baseline': 0 is out of range: expected 1 to 1000000");
  }
  SUBCASE("medium above the default high, reported where it is set") {
    const Failure failure = load_error(dir, "[report]\nat_risk_medium_drop = 70\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:2:1: key 'report.at_risk_medium_drop' (70) must not be above key "
          "'report.at_risk_high_drop' (60)");
    CHECK(failure.hint == "the at-risk grades go medium <= high <= critical");
  }
  SUBCASE("high above critical, reported at the later key") {
    const Failure failure =
        load_error(dir, "[report]\nat_risk_critical_drop = 80\nat_risk_high_drop = 90\n", &file);
    CHECK(relative(file, failure.message) ==
          "FILE:3:1: key 'report.at_risk_high_drop' (90) must not be above key "
          "'report.at_risk_critical_drop' (80)");
  }
  SUBCASE("equal thresholds are fine") {
    const Config config = load_text(
        dir,
        "[report]\nat_risk_critical_drop = 50\nat_risk_high_drop = 50\nat_risk_medium_drop = 50\n");
    CHECK(config.at_risk_critical_drop == 50);
    CHECK(config.at_risk_high_drop == 50);
    CHECK(config.at_risk_medium_drop == 50);
  }
}

TEST_CASE("of several problems, the one nearest the top of the file is reported") {
  ScratchDir dir;
  fs::path file;
  // [database] sorts before [output], but [output] comes first in the file.
  const Failure failure = load_error(
      dir, "[output]\ncolor = \"blue\"\n[database]\nbusy_timeout = true\nsize = 3\n", &file);
  CHECK(relative(file, failure.message).starts_with("FILE:2:9: key 'output.color'"));
}

TEST_CASE("a config path that cannot be read is a config error") {
  ScratchDir dir;
  SUBCASE("a folder") {
    const fs::path folder = dir.path() / "config.toml";
    fs::create_directory(folder);
    try {
      refnet::config::load(folder);
      FAIL("a folder loaded as a config file");
    } catch (const Error& error) {
      CHECK(error.code() == Exit::config);
      CHECK(std::string(error.what()) == folder.string() + ": is a folder, not a config file");
    }
  }
  SUBCASE("no permission to read") {
    if (geteuid() == 0) return;  // root reads anything
    const fs::path path = dir.write("config.toml", "[output]\n");
    fs::permissions(path, fs::perms::none);
    try {
      refnet::config::load(path);
      FAIL("an unreadable file loaded");
    } catch (const Error& error) {
      CHECK(error.code() == Exit::config);
      CHECK(std::string(error.what()) ==
            path.string() + ": cannot read the config file: Permission denied");
    }
  }
}

namespace {

// A line of the default file that sets a key once "# " is taken off: "# busy_timeout = ...".
bool is_commented_key(const std::string& line) {
  if (!line.starts_with("# ")) return false;
  const auto equals = line.find(" = ");
  if (equals == std::string::npos || equals <= 2) return false;
  for (std::size_t i = 2; i < equals; ++i) {
    const char c = line[i];
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("the default config file reads back as the defaults, commented or not") {
  ScratchDir dir;
  const std::string text = refnet::config::default_config_text();
  CHECK(text.starts_with("# refnet configuration"));
  CHECK(text.find("commented out at its default") != std::string::npos);

  SUBCASE("as written") {
    const Config config = load_text(dir, text);
    CHECK(config.file_exists);
    CHECK(config.origin.empty());
    check_defaults(config);
  }

  SUBCASE("with every key uncommented") {
    std::string uncommented;
    int keys = 0;
    for (const std::string& line : lines_of(text)) {
      if (is_commented_key(line)) {
        uncommented += line.substr(2) + "\n";
        ++keys;
      } else {
        uncommented += line + "\n";
      }
    }
    CHECK(keys == 23);
    const Config config = load_text(dir, uncommented);
    check_defaults(config);
    CHECK(config.origin.size() == 23);
    for (const auto& [key, value] : refnet::config::entries(config)) {
      CAPTURE(key);
      CHECK(config.origin.count(key) == 1);
    }
    CHECK(refnet::config::entries(config) == refnet::config::entries(Config{}));
  }
}

TEST_CASE("the default config file shows every table and explains every key") {
  const std::vector<std::string> lines = lines_of(refnet::config::default_config_text());
  for (const char* table : {"[database]", "[practice]", "[sla]", "[sla.acknowledge]", "[calendar]",
                            "[report]", "[output]"}) {
    CAPTURE(table);
    CHECK(std::find(lines.begin(), lines.end(), table) != lines.end());
  }
  for (const char* key_line : {"# path = \"\"",
                               "# busy_timeout = \"5s\"",
                               "# name = \"\"",
                               "# followup_after_referral = \"24h\"",
                               "# followup_after_meeting = \"24h\"",
                               "# report_back_within = \"14d\"",
                               "# keep_in_touch = \"90d\"",
                               "# routine = \"2bd\"",
                               "# urgent = \"24h\"",
                               "# emergent = \"2h\"",
                               "# holidays = []",
                               "# at_risk_recent = \"90d\"",
                               "# at_risk_baseline = \"365d\"",
                               "# at_risk_critical_drop = 100",
                               "# at_risk_high_drop = 60",
                               "# at_risk_medium_drop = 30",
                               "# at_risk_min_baseline = 3",
                               "# closed_loop_target = 80",
                               "# color = \"auto\"",
                               "# format = \"table\""}) {
    CAPTURE(key_line);
    const auto at = std::find(lines.begin(), lines.end(), key_line);
    REQUIRE(at != lines.end());
    // The line above says what the key does, in a comment that is not itself a key.
    REQUIRE(at != lines.begin());
    const std::string& doc = *(at - 1);
    CHECK(doc.starts_with("# "));
    CHECK_FALSE(is_commented_key(doc));
    CHECK(doc.size() > 20);
    CHECK(doc.size() <= 100);
  }
}

TEST_CASE("the config file is --config, else REFNET_CONFIG, else XDG_CONFIG_HOME, else ~/.config") {
  EnvGuard env;
  env.set("HOME", "/home/dr-lee");
  env.set("XDG_CONFIG_HOME", "/xdg/config");
  env.set("REFNET_CONFIG", "/etc/refnet/clinic.toml");
  using refnet::config::config_file_path;

  CHECK(config_file_path(std::string("/tmp/flag.toml")) == fs::path("/tmp/flag.toml"));
  CHECK(config_file_path(std::string("relative.toml")) == fs::path("relative.toml"));
  CHECK(config_file_path(std::nullopt) == fs::path("/etc/refnet/clinic.toml"));
  // An empty --config is no choice at all.
  CHECK(config_file_path(std::string()) == fs::path("/etc/refnet/clinic.toml"));

  env.set("REFNET_CONFIG", "");
  CHECK(config_file_path(std::nullopt) == fs::path("/xdg/config/refnet/config.toml"));
  env.unset("REFNET_CONFIG");
  CHECK(config_file_path(std::nullopt) == fs::path("/xdg/config/refnet/config.toml"));

  // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
  env.set("XDG_CONFIG_HOME", "relative/config");
  CHECK(config_file_path(std::nullopt) == fs::path("/home/dr-lee/.config/refnet/config.toml"));
  env.set("XDG_CONFIG_HOME", "");
  CHECK(config_file_path(std::nullopt) == fs::path("/home/dr-lee/.config/refnet/config.toml"));
  env.unset("XDG_CONFIG_HOME");
  CHECK(config_file_path(std::nullopt) == fs::path("/home/dr-lee/.config/refnet/config.toml"));
}

TEST_CASE("the environment is put back after a test changes it") {
  const char* before = std::getenv("REFNET_CONFIG");
  const std::optional<std::string> saved =
      before ? std::optional<std::string>(before) : std::nullopt;
  {
    EnvGuard env;
    env.set("REFNET_CONFIG", "/tmp/changed.toml");
    CHECK(std::string(std::getenv("REFNET_CONFIG")) == "/tmp/changed.toml");
  }
  const char* after = std::getenv("REFNET_CONFIG");
  CHECK((after ? std::optional<std::string>(after) : std::nullopt) == saved);
}

TEST_CASE("expand_home turns a leading ~ into the home folder") {
  EnvGuard env;
  env.set("HOME", "/home/dr-lee");
  using refnet::config::expand_home;
  CHECK(expand_home("~") == fs::path("/home/dr-lee"));
  CHECK(expand_home("~/") == fs::path("/home/dr-lee/"));
  CHECK(expand_home("~/clinic/refnet.db") == fs::path("/home/dr-lee/clinic/refnet.db"));
  CHECK(expand_home("/srv/refnet.db") == fs::path("/srv/refnet.db"));
  CHECK(expand_home("refnet.db") == fs::path("refnet.db"));
  CHECK(expand_home("~other/refnet.db") == fs::path("~other/refnet.db"));
  CHECK(expand_home("data/~/refnet.db") == fs::path("data/~/refnet.db"));
}

TEST_CASE("a database location that is a URL, and whether it holds a password") {
  CHECK(refnet::config::location_scheme("postgresql:///refnet") == "postgresql");
  CHECK(refnet::config::location_scheme("Postgres://db.example/refnet") == "postgres");
  CHECK(refnet::config::location_scheme("mysql+ssl://db/x") == "mysql+ssl");
  CHECK_FALSE(refnet::config::location_scheme("~/clinic/refnet.db"));
  CHECK_FALSE(
      refnet::config::location_scheme("postgresql/refnet.db"));  // a folder named postgresql
  CHECK_FALSE(refnet::config::location_scheme("notes:2026.db"));
  CHECK_FALSE(refnet::config::location_scheme("C://x"));  // one letter: a drive, not a scheme
  CHECK_FALSE(refnet::config::location_scheme("1a://x"));
  CHECK(refnet::config::location_scheme(" postgresql://ann@h/db") == "postgresql");
  CHECK(refnet::config::location_scheme("postgresql:/h/db") == "postgresql");
  CHECK(refnet::config::location_scheme("host=db.example dbname=refnet") == "postgresql");
  CHECK(refnet::config::location_scheme("service = refnet") == "postgresql");
  CHECK_FALSE(refnet::config::location_scheme("clinic=2/refnet.db"));
  CHECK(refnet::config::location_has_password(" postgresql://ann:pw1@h/db"));
  CHECK(refnet::config::location_has_password("host=db user=ann password=pw2 dbname=refnet"));
  CHECK(refnet::config::location_has_password("password = pw3"));
  CHECK_FALSE(refnet::config::location_has_password("host=db user=ann passfile=/x dbname=r"));
  CHECK(refnet::config::location_has_password("postgresql://ann:secret@db.example/refnet"));
  CHECK(refnet::config::location_has_password("postgresql://db/refnet?sslmode=require&password=x"));
  CHECK(refnet::config::location_has_password("postgresql://db/refnet?PASSWORD=x"));
  CHECK_FALSE(refnet::config::location_has_password("postgresql://ann@db.example:5432/refnet"));
  CHECK_FALSE(refnet::config::location_has_password(
      "postgresql://db.example:5432/refnet?sslmode=verify-full"));
  CHECK_FALSE(refnet::config::location_has_password("postgresql:///refnet?passfile=/x"));
}
