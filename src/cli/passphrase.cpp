// The passphrase of an encrypted backup from a file descriptor, a file or the terminal.
#include "cli/passphrase.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cli/context.hpp"
#include "error.hpp"
#include "text/text.hpp"

namespace refnet::cli {

namespace {

constexpr std::size_t max_length = 4096;
constexpr std::size_t min_length = 8;

void wipe(std::string& text) {
  if (!text.empty()) sodium_memzero(text.data(), text.size());
  text.clear();
}

// Everything `fd` gives up to its end or the first line end, whichever comes first.
std::string read_line(int fd, std::string_view from) {
  std::string text;
  text.reserve(max_length + 1);  // never reallocated, so no unwiped copy is left behind
  char c = 0;
  for (;;) {
    const auto n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      throw Error(Exit::io, fmt::format("cannot read the passphrase from {}: {}", from,
                                        std::strerror(errno)));
    }
    if (n == 0 || c == '\n') break;
    text.push_back(c);
    if (text.size() > max_length) {
      wipe(text);
      throw Error(Exit::usage,
                  fmt::format("the passphrase from {} is longer than {} bytes", from, max_length));
    }
  }
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// Asks at the terminal with echo off; the answer is not shown, and the line end is echoed.
std::string prompt(int tty, std::string_view question) {
  termios saved{};
  const bool is_terminal = ::tcgetattr(tty, &saved) == 0;
  if (is_terminal) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  [[maybe_unused]] const auto written = ::write(tty, question.data(), question.size());
  std::string answer;
  try {
    answer = read_line(tty, "the terminal");
  } catch (...) {
    if (is_terminal) ::tcsetattr(tty, TCSAFLUSH, &saved);
    throw;
  }
  if (is_terminal) ::tcsetattr(tty, TCSAFLUSH, &saved);
  return answer;
}

}  // namespace

Passphrase::Passphrase(Passphrase&& other) noexcept : text_(std::move(other.text_)) {
  wipe(other.text_);
}

Passphrase::~Passphrase() {
  wipe(text_);
}

Passphrase read_passphrase(Context& ctx, std::optional<int> fd, bool confirm) {
  // A descriptor or a prompt cannot be read twice (a file could, but one rule is simpler).
  ctx.input_read = true;
  std::string text;
  if (fd) {
    if (*fd < 0 || ::fcntl(*fd, F_GETFD) < 0) {
      throw Error(Exit::usage,
                  fmt::format("--passphrase-fd {} is not an open file descriptor", *fd),
                  "e.g. refnet db backup FILE --encrypt --passphrase-fd 3 3< passphrase.txt");
    }
    text = read_line(*fd, fmt::format("file descriptor {}", *fd));
  } else if (const char* file = std::getenv("REFNET_PASSPHRASE_FILE");
             file != nullptr && *file != '\0') {
    ctx.warn_if_shared(file);
    const int in = ::open(file, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
      throw Error(Exit::no_input, fmt::format("cannot read REFNET_PASSPHRASE_FILE {}: {}", file,
                                              std::strerror(errno)));
    }
    try {
      text = read_line(in, file);
    } catch (...) {
      ::close(in);
      throw;
    }
    ::close(in);
  } else {
    const int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (tty < 0) {
      throw Error(Exit::usage, "no passphrase: there is no terminal to ask at",
                  "name a file holding it in REFNET_PASSPHRASE_FILE, or pass it on a file "
                  "descriptor with --passphrase-fd N");
    }
    try {
      text = prompt(tty, "Passphrase: ");
      if (confirm && !text.empty()) {
        std::string again = prompt(tty, "Passphrase again: ");
        const bool same = again == text;
        wipe(again);
        if (!same) {
          wipe(text);
          throw Error(Exit::usage, "the two passphrases differ; nothing was written");
        }
      }
    } catch (...) {
      ::close(tty);
      throw;
    }
    ::close(tty);
  }
  if (text.empty()) throw Error(Exit::usage, "the passphrase is empty");
  std::size_t characters = 0;
  for (std::size_t pos = 0; pos < text.size(); ++characters) text::next_code_point(text, pos);
  if (confirm && characters < min_length) {
    wipe(text);
    throw Error(Exit::usage,
                fmt::format("a backup passphrase needs at least {} characters", min_length),
                "a few unrelated words make a passphrase that is long and easy to type");
  }
  return Passphrase(std::move(text));
}

}  // namespace refnet::cli
