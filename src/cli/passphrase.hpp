// Where the passphrase of an encrypted backup comes from: never the command line or the config.
#pragma once

#include <optional>
#include <string>

namespace refnet::cli {

class Context;

// A passphrase that is wiped from memory when it goes.
class Passphrase {
 public:
  explicit Passphrase(std::string text) : text_(std::move(text)) {}
  Passphrase(const Passphrase&) = delete;
  Passphrase& operator=(const Passphrase&) = delete;
  Passphrase(Passphrase&& other) noexcept;
  Passphrase& operator=(Passphrase&&) = delete;
  ~Passphrase();
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// The passphrase from, in this order: the file descriptor --passphrase-fd named (`fd`), the file
// $REFNET_PASSPHRASE_FILE names, or a prompt at the terminal without echo (asked twice when
// `confirm`, for a new backup). One trailing line end is not part of it. Throws Error(usage)
// when there is none, or when `confirm` and it is shorter than 8 characters or the two
// answers differ.
Passphrase read_passphrase(Context& ctx, std::optional<int> fd, bool confirm);

}  // namespace refnet::cli
