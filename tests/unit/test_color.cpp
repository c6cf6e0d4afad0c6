// The colour decision of refnet(1) OUTPUT FORMATS and the locale check, driven through the
// environment.

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "output/sink.hpp"

using refnet::output::decide_color;
using refnet::output::locale_is_utf8;

namespace {

// Sets (or unsets, with nullopt) environment variables for one test and puts them back after.
class EnvGuard {
 public:
  EnvGuard(std::initializer_list<std::pair<const char*, std::optional<std::string>>> vars) {
    for (const auto& [name, value] : vars) {
      const char* old = std::getenv(name);
      saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
      set(name, value);
    }
  }
  ~EnvGuard() {
    for (const auto& [name, value] : saved_) set(name, value);
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  static void set(const std::string& name, const std::optional<std::string>& value) {
    if (value) {
      setenv(name.c_str(), value->c_str(), 1);
    } else {
      unsetenv(name.c_str());
    }
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

const std::nullopt_t unset = std::nullopt;

}  // namespace

TEST_CASE("output: --color always and never beat everything else") {
  EnvGuard env{{"NO_COLOR", "1"}, {"CLICOLOR_FORCE", "1"}, {"TERM", "dumb"}};
  CHECK(decide_color("always", "never"));
  CHECK_FALSE(decide_color("never", "always"));
  CHECK(decide_color("ALWAYS", ""));
}

TEST_CASE("output: output.color in the config decides when the flag is auto") {
  EnvGuard env{{"NO_COLOR", "1"}, {"CLICOLOR_FORCE", unset}, {"TERM", "dumb"}};
  CHECK(decide_color("auto", "always"));
  CHECK(decide_color("", "always"));
  CHECK_FALSE(decide_color("auto", "never"));
}

TEST_CASE("output: a non-empty NO_COLOR turns colour off, even with CLICOLOR_FORCE") {
  EnvGuard env{{"NO_COLOR", "1"}, {"CLICOLOR_FORCE", "1"}, {"TERM", "xterm-256color"}};
  CHECK_FALSE(decide_color("auto", "auto"));
}

TEST_CASE("output: an empty NO_COLOR is no preference") {
  EnvGuard env{{"NO_COLOR", ""}, {"CLICOLOR_FORCE", "1"}, {"TERM", "dumb"}};
  CHECK(decide_color("auto", "auto"));
}

TEST_CASE("output: CLICOLOR_FORCE other than 0 turns colour on, even in a pipe") {
  EnvGuard env{{"NO_COLOR", unset}, {"CLICOLOR_FORCE", "yes"}, {"TERM", "dumb"}};
  CHECK(decide_color("auto", "auto"));
}

TEST_CASE("output: CLICOLOR_FORCE=0 leaves the decision to the terminal") {
  SUBCASE("TERM=dumb is never coloured") {
    EnvGuard env{{"NO_COLOR", unset}, {"CLICOLOR_FORCE", "0"}, {"TERM", "dumb"}};
    CHECK_FALSE(decide_color("auto", "auto"));
  }
  SUBCASE("an unset TERM is not coloured") {
    EnvGuard env{{"NO_COLOR", unset}, {"CLICOLOR_FORCE", "0"}, {"TERM", unset}};
    CHECK_FALSE(decide_color("auto", "auto"));
  }
  SUBCASE("a real TERM is coloured only when stdout is a terminal") {
    EnvGuard env{{"NO_COLOR", unset}, {"CLICOLOR_FORCE", unset}, {"TERM", "xterm-256color"}};
    CHECK(decide_color("auto", "auto") == (isatty(STDOUT_FILENO) == 1));
  }
}

TEST_CASE("output: locale_is_utf8 reads LC_ALL, then LC_CTYPE, then LANG") {
  SUBCASE("nothing set") {
    EnvGuard env{{"LC_ALL", unset}, {"LC_CTYPE", unset}, {"LANG", unset}};
    CHECK_FALSE(locale_is_utf8());
  }
  SUBCASE("LANG alone") {
    EnvGuard env{{"LC_ALL", unset}, {"LC_CTYPE", unset}, {"LANG", "en_US.UTF-8"}};
    CHECK(locale_is_utf8());
  }
  SUBCASE("LC_ALL=C wins over a UTF-8 LANG") {
    EnvGuard env{{"LC_ALL", "C"}, {"LC_CTYPE", unset}, {"LANG", "en_US.UTF-8"}};
    CHECK_FALSE(locale_is_utf8());
  }
  SUBCASE("an empty LC_ALL is skipped; utf8 in any case counts") {
    EnvGuard env{{"LC_ALL", ""}, {"LC_CTYPE", "de_DE.utf8"}, {"LANG", "C"}};
    CHECK(locale_is_utf8());
  }
  SUBCASE("C.UTF-8") {
    EnvGuard env{{"LC_ALL", "C.UTF-8"}, {"LC_CTYPE", unset}, {"LANG", unset}};
    CHECK(locale_is_utf8());
  }
  SUBCASE("POSIX and Latin-1 are not UTF-8") {
    EnvGuard env{{"LC_ALL", unset}, {"LC_CTYPE", "POSIX"}, {"LANG", "en_US.UTF-8"}};
    CHECK_FALSE(locale_is_utf8());
    EnvGuard latin1{{"LC_CTYPE", "de_DE.ISO-8859-1"}};
    CHECK_FALSE(locale_is_utf8());
  }
}
