// Reading config.toml with toml++: every key checked by the key table, the first problem reported.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <span>
#include <sstream>

// Link the parser Debian ships compiled instead of compiling it into this file.
#ifndef TOML_HEADER_ONLY
#define TOML_HEADER_ONLY 0
#endif
#include <toml++/toml.h>

#include "config/config.hpp"
#include "error.hpp"
#include "fields.hpp"
#include "keys.hpp"
#include "text/text.hpp"

namespace refnet::config {

namespace {

namespace fs = std::filesystem;
using detail::KeySpec;
using detail::Kind;

// The longest busy timeout SQLite accepts: its argument is an int of milliseconds.
constexpr long long max_busy_timeout_ms = INT_MAX;

// The largest value of an integer key: a percent is at most 100, a count at most a million.
std::int64_t integer_max(Kind kind) {
  return kind == Kind::percent ? 100 : 1'000'000;
}

std::string_view a_type(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

// "500ms", "5s", "2m" → milliseconds; SQLite's timeout is finer than refnet's durations.
std::optional<std::chrono::milliseconds> parse_busy_timeout(std::string_view text) {
  long long count = 0;
  const char* const end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, count);
  if (error != std::errc{} || rest == text.data() || count < 0) return std::nullopt;
  const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  long long scale = 0;
  if (unit == "ms") scale = 1;
  if (unit == "s") scale = 1000;
  if (unit == "m") scale = 60'000;
  if (scale == 0 || count > max_busy_timeout_ms / scale) return std::nullopt;
  return std::chrono::milliseconds(count * scale);
}

// Durations compared by their nominal length; a business day counts as 7/5 of a day.
long double nominal_minutes(domain::Duration d) {
  using Unit = domain::Duration::Unit;
  long double per = 1;
  switch (d.unit) {
    case Unit::minutes:
      per = 1;
      break;
    case Unit::hours:
      per = 60;
      break;
    case Unit::days:
      per = 1440;
      break;
    case Unit::weeks:
      per = 10080;
      break;
    case Unit::business_days:
      per = 1440.0L * 7 / 5;
      break;
  }
  return static_cast<long double>(d.count) * per;
}

std::string default_text(std::string_view key) {
  for (const auto& [name, value] : entries(Config{})) {
    if (name == key) return value;
  }
  return {};
}

// What a key accepts, as the tail of "expected ...".
std::string expectation(const KeySpec& key) {
  switch (key.kind) {
    case Kind::text:
      return "a string";
    case Kind::path:
      return "a string (a file path)";
    case Kind::busy_timeout:
      return R"(a duration string like "5s" (N followed by ms, s or m) or a number of milliseconds)";
    case Kind::duration:
      return fmt::format(R"(a duration string like "{}" (N followed by m, h, d, w or bd))",
                         default_text(detail::dotted(key)));
    case Kind::holidays:
      return R"(an array of dates like ["2026-12-25"])";
    case Kind::when:
      return R"(one of "auto", "always" or "never")";
    case Kind::format:
      return R"(one of "table", "csv", "tsv" or "json")";
    case Kind::percent:
    case Kind::count:
      return fmt::format("an integer from 1 to {}, like {}", integer_max(key.kind),
                         default_text(detail::dotted(key)));
    case Kind::boolean:
      return "true or false";
  }
  return {};
}

// Walks the parsed document against the key table, filling `config`; remembers the problem
// nearest the top of the file, since that is the one a user fixes first.
class Checker {
 public:
  Checker(std::string file, Config& config) : file_(std::move(file)), config_(config) {}

  void check_table(const toml::table& table, const std::string& prefix) {
    for (auto&& [key, node] : table) {
      const std::string name =
          prefix.empty() ? std::string(key.str()) : fmt::format("{}.{}", prefix, key.str());
      if (detail::is_table(name)) {
        if (const auto* sub = node.as_table()) {
          check_table(*sub, name);
        } else {
          problem(node.source(),
                  fmt::format("key '{}': expected a table ([{}]), not {}", name, name,
                              a_type(node.type())),
                  detail::valid_keys_hint(name + ".x"));  // the keys [name] holds
        }
      } else if (const KeySpec* spec = detail::find_key(name)) {
        config_.origin[name] = where(key.source());
        positions_[name] = key.source().begin;
        apply(*spec, name, node);
      } else {
        unknown(name, key.source(), node);
      }
    }
  }

  // The rule that spans two keys, checked once each has its value.
  void check_at_risk_windows() {
    if (first_) return;
    if (nominal_minutes(config_.at_risk_baseline) > nominal_minutes(config_.at_risk_recent)) {
      return;
    }
    const bool baseline_set = positions_.count("report.at_risk_baseline") != 0;
    const auto at =
        positions_.find(baseline_set ? "report.at_risk_baseline" : "report.at_risk_recent");
    if (at == positions_.end()) return;  // the defaults are consistent
    problem(at->second,
            fmt::format("key 'report.at_risk_baseline' ({}) must be longer than key "
                        "'report.at_risk_recent' ({})",
                        domain::format_duration(config_.at_risk_baseline),
                        domain::format_duration(config_.at_risk_recent)),
            "the recent window is judged against the longer baseline before it");
  }

  // The at-risk grades must not overlap: medium <= high <= critical. Reported at the key of the
  // pair the file set (the later one when it set both).
  void check_at_risk_grades() {
    if (first_) return;
    struct Order {
      const char* lower;
      int lower_value;
      const char* higher;
      int higher_value;
    };
    const Order orders[] = {
        {"report.at_risk_medium_drop", config_.at_risk_medium_drop, "report.at_risk_high_drop",
         config_.at_risk_high_drop},
        {"report.at_risk_high_drop", config_.at_risk_high_drop, "report.at_risk_critical_drop",
         config_.at_risk_critical_drop},
    };
    for (const Order& order : orders) {
      if (order.lower_value <= order.higher_value) continue;
      const auto lower_at = positions_.find(order.lower);
      const auto higher_at = positions_.find(order.higher);
      auto at = lower_at;
      if (at == positions_.end() ||
          (higher_at != positions_.end() && at->second < higher_at->second)) {
        at = higher_at;
      }
      if (at == positions_.end()) continue;  // the defaults are consistent
      problem(at->second,
              fmt::format("key '{}' ({}) must not be above key '{}' ({})", order.lower,
                          order.lower_value, order.higher, order.higher_value),
              "the at-risk grades go medium <= high <= critical");
      return;
    }
  }

  void throw_if_any() const {
    if (first_) throw Error(Exit::config, first_->message, first_->hint);
  }

 private:
  struct Problem {
    toml::source_position at;
    std::string message;
    std::string hint;
  };

  std::string where(const toml::source_region& region) const { return where(region.begin); }
  std::string where(const toml::source_position& at) const {
    return fmt::format("{}:{}:{}", file_, at.line, at.column);
  }

  void problem(const toml::source_region& region, std::string message, std::string hint = {}) {
    problem(region.begin, std::move(message), std::move(hint));
  }
  void problem(const toml::source_position& at, std::string message, std::string hint = {}) {
    if (first_ && !(at < first_->at)) return;
    first_ = Problem{at, fmt::format("{}: {}", where(at), message), std::move(hint)};
  }

  void wrong_type(const KeySpec& key, const std::string& name, const toml::node& node) {
    problem(node.source(), fmt::format("key '{}': expected {}, not {}", name, expectation(key),
                                       a_type(node.type())));
  }

  // Reported where the unknown name is written. An unknown table is named by its first key
  // when that key is close to a real one, so `[sla.acknowledg]` suggests the exact key meant.
  void unknown(const std::string& name, const toml::source_region& key_at, const toml::node& node) {
    if (const auto* table = node.as_table(); table != nullptr && !table->empty()) {
      const std::string leaf = first_leaf(name, *table);
      if (const auto suggestion = detail::did_you_mean(leaf)) {
        return problem(key_at, fmt::format("unknown key '{}'", leaf),
                       fmt::format("did you mean '{}'?", *suggestion));
      }
    }
    const auto suggestion = detail::did_you_mean(name);
    problem(key_at, fmt::format("unknown {} '{}'", node.is_table() ? "table" : "key", name),
            suggestion ? fmt::format("did you mean '{}'?", *suggestion)
                       : detail::valid_keys_hint(name));
  }

  // The dotted name of the key written first (not alphabetically first) under `table`.
  static std::string first_leaf(const std::string& name, const toml::table& table) {
    const toml::key* first_key = nullptr;
    const toml::node* first_node = nullptr;
    for (auto&& [key, child] : table) {
      if (first_key == nullptr || key.source().begin < first_key->source().begin) {
        first_key = &key;
        first_node = &child;
      }
    }
    if (first_key == nullptr) return name;
    const std::string child_name = fmt::format("{}.{}", name, first_key->str());
    const auto* sub = first_node->as_table();
    return sub == nullptr ? child_name : first_leaf(child_name, *sub);
  }

  void apply(const KeySpec& key, const std::string& name, const toml::node& node) {
    switch (key.kind) {
      case Kind::text:
      case Kind::path:
      case Kind::when:
      case Kind::format:
        return apply_text(key, name, node);
      case Kind::busy_timeout:
        return apply_busy_timeout(key, name, node);
      case Kind::duration:
        return apply_duration(key, name, node);
      case Kind::holidays:
        return apply_holidays(key, name, node);
      case Kind::percent:
      case Kind::count:
        return apply_integer(key, name, node);
      case Kind::boolean:
        return apply_boolean(key, name, node);
    }
  }

  void apply_boolean(const KeySpec& key, const std::string& name, const toml::node& node) {
    const auto* flag = node.as_boolean();
    if (flag == nullptr) return wrong_type(key, name, node);
    *detail::boolean_field(config_, name) = flag->get();
  }

  void apply_integer(const KeySpec& key, const std::string& name, const toml::node& node) {
    const auto* integer = node.as_integer();
    if (integer == nullptr) return wrong_type(key, name, node);
    const std::int64_t value = integer->get();
    if (value < 1 || value > integer_max(key.kind)) {
      return problem(node.source(), fmt::format("key '{}': {} is out of range: expected 1 to {}",
                                                name, value, integer_max(key.kind)));
    }
    *detail::integer_field(config_, name) = static_cast<int>(value);
  }

  void apply_text(const KeySpec& key, const std::string& name, const toml::node& node) {
    const auto* text = node.as_string();
    if (text == nullptr) return wrong_type(key, name, node);
    const std::string& value = text->get();

    if (key.kind == Kind::path) {
      // "" is how `config show` prints the default location, so it reads back as the default.
      config_.database_path = value.empty() ? std::nullopt : std::optional<std::string>(value);
      return;
    }
    std::string* field = detail::text_field(config_, name);
    if (key.kind == Kind::text) {
      *field = value;
      return;
    }
    const std::span<const std::string_view> words =
        key.kind == Kind::when ? std::span<const std::string_view>(detail::whens)
                               : std::span<const std::string_view>(detail::formats);
    const std::string canonical = text::ascii_lower(value);
    if (std::find(words.begin(), words.end(), canonical) == words.end()) {
      return problem(node.source(), fmt::format("key '{}': invalid value \"{}\": expected {}", name,
                                                value, expectation(key)));
    }
    *field = canonical;
  }

  void apply_busy_timeout(const KeySpec& key, const std::string& name, const toml::node& node) {
    if (const auto* integer = node.as_integer()) {
      const std::int64_t ms = integer->get();
      if (ms < 0 || ms > max_busy_timeout_ms) {
        return problem(node.source(),
                       fmt::format("key '{}': {} milliseconds is out of range: expected 0 to {}",
                                   name, ms, max_busy_timeout_ms));
      }
      config_.busy_timeout = std::chrono::milliseconds(ms);
      return;
    }
    const auto* text = node.as_string();
    if (text == nullptr) return wrong_type(key, name, node);
    const auto timeout = parse_busy_timeout(text->get());
    if (!timeout) {
      return problem(node.source(),
                     fmt::format("key '{}': invalid duration \"{}\": expected N followed by ms, s "
                                 "or m, like \"5s\" or \"500ms\", at most {}ms",
                                 name, text->get(), max_busy_timeout_ms));
    }
    config_.busy_timeout = *timeout;
  }

  void apply_duration(const KeySpec& key, const std::string& name, const toml::node& node) {
    const auto* text = node.as_string();
    if (text == nullptr) return wrong_type(key, name, node);
    const auto duration = domain::try_parse_duration(text->get());
    if (!duration) {
      return problem(node.source(),
                     fmt::format("key '{}': invalid duration \"{}\": expected N followed by m, h, "
                                 "d, w or bd (business days), like \"{}\"",
                                 name, text->get(), default_text(name)));
    }
    *detail::duration_field(config_, name) = *duration;
  }

  void apply_holidays(const KeySpec& key, const std::string& name, const toml::node& node) {
    const auto* array = node.as_array();
    if (array == nullptr) return wrong_type(key, name, node);
    std::vector<domain::LocalDate> holidays;
    for (const auto& element : *array) {
      if (const auto* date = element.as_date()) {
        // toml++ has already rejected impossible dates such as 2026-02-30.
        const toml::date& d = date->get();
        holidays.emplace_back(std::chrono::year(d.year), std::chrono::month(d.month),
                              std::chrono::day(d.day));
      } else if (const auto* text = element.as_string()) {
        const auto parsed = domain::parse_iso_date(text->get());
        if (!parsed || !parsed->ok()) {
          return problem(element.source(),
                         fmt::format("key '{}': invalid date \"{}\": expected YYYY-MM-DD, like "
                                     "\"2026-12-25\"",
                                     name, text->get()));
        }
        holidays.push_back(*parsed);
      } else {
        return problem(element.source(),
                       fmt::format("key '{}': expected dates like \"2026-12-25\", not {}", name,
                                   a_type(element.type())));
      }
    }
    std::sort(holidays.begin(), holidays.end());
    holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
    config_.sla.calendar.holidays = std::move(holidays);
  }

  std::string file_;
  Config& config_;
  std::map<std::string, toml::source_position> positions_;
  std::optional<Problem> first_;
};

std::string read_file(const fs::path& path, const std::string& file) {
  if (fs::is_directory(path)) {
    throw Error(Exit::config, fmt::format("{}: is a folder, not a config file", file),
                "point --config or REFNET_CONFIG at a TOML file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(Exit::config,
                fmt::format("{}: cannot read the config file: {}", file, std::strerror(errno)),
                "check its permissions, or point --config or REFNET_CONFIG at another file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw Error(Exit::config,
                fmt::format("{}: cannot read the config file: {}", file, std::strerror(errno)));
  }
  return std::move(text).str();
}

// toml++ describes errors as sentences ("Error while parsing ..."); ours continue a line.
Error syntax_error(const std::string& file, const toml::parse_error& error) {
  std::string description(error.description());
  if (!description.empty())
    description.front() = text::ascii_lower(description.substr(0, 1)).front();
  return Error(Exit::config,
               fmt::format("{}:{}:{}: TOML syntax error: {}", file, error.source().begin.line,
                           error.source().begin.column, description));
}

}  // namespace

Config load(const fs::path& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    Config config;
    config.file = path;
    return config;
  }
  if (ec) {
    throw Error(Exit::config,
                fmt::format("{}: cannot read the config file: {}", path.string(), ec.message()),
                "check the permissions of its folders, or point --config or REFNET_CONFIG "
                "at another file");
  }
  return parse(read_file(path, path.string()), path);
}

Config parse(std::string_view text, const fs::path& path) {
  Config config;
  config.file = path;
  config.file_exists = true;
  const std::string file = path.string();

  toml::table document;
#if TOML_EXCEPTIONS
  try {
    document = toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& error) {
    throw syntax_error(file, error);
  }
#else
  toml::parse_result result = toml::parse(text, std::string_view(file));
  if (!result) {
    throw syntax_error(file, result.error());
  }
  document = std::move(result).table();
#endif

  Checker checker(file, config);
  checker.check_table(document, "");
  checker.check_at_risk_windows();
  checker.check_at_risk_grades();
  checker.throw_if_any();
  return config;
}

}  // namespace refnet::config
