// Whether tables get colour (flag, config, NO_COLOR, terminal), their width, UTF-8 locales, SGR.
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "detail.hpp"
#include "output/sink.hpp"
#include "text/text.hpp"

namespace refnet::output {
namespace {

// An unset variable and an empty one mean the same: no preference.
std::string_view env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string_view{} : std::string_view{value};
}

// "always" → true, "never" → false, anything else ("auto", "") → no decision here.
int forced(std::string_view setting) {
  const std::string word = text::ascii_lower(setting);
  if (word == "always") return 1;
  if (word == "never") return 0;
  return -1;
}

}  // namespace

bool decide_color(std::string_view flag, std::string_view config_value) {
  if (const int f = forced(flag); f >= 0) return f == 1;
  if (const int c = forced(config_value); c >= 0) return c == 1;
  if (!env("NO_COLOR").empty()) return false;
  // An empty CLICOLOR_FORCE is treated like an unset one, as NO_COLOR's "non-empty" rule is.
  if (const auto force = env("CLICOLOR_FORCE"); !force.empty() && force != "0") return true;
  // Without TERM we cannot know the terminal understands SGR, so an unset TERM means no colour.
  const auto term = env("TERM");
  return isatty(STDOUT_FILENO) == 1 && !term.empty() && term != "dumb";
}

std::size_t terminal_columns() {
  if (isatty(STDOUT_FILENO) != 1) return 0;
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  const auto columns = env("COLUMNS");
  if (columns.empty() || !text::all_digits(columns) || columns.size() > 5) return 0;
  return static_cast<std::size_t>(std::stoul(std::string(columns)));
}

bool locale_is_utf8() {
  for (const char* name : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    const auto value = env(name);
    if (value.empty()) continue;
    const std::string word = text::ascii_lower(value);
    return word.find("utf-8") != std::string::npos || word.find("utf8") != std::string::npos;
  }
  return false;
}

namespace detail {

std::string_view sgr(Tone tone) {
  switch (tone) {
    case Tone::plain:
      return "";
    case Tone::dim:
      return "\x1b[2m";
    case Tone::bold:
      return "\x1b[1m";
    case Tone::good:
      return "\x1b[32m";
    case Tone::warn:
      return "\x1b[33m";
    case Tone::alert:
      return "\x1b[31m";
  }
  return "";
}

}  // namespace detail
}  // namespace refnet::output
