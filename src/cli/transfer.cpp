// Entity names, and the database's redaction key, made on first need (see transfer.hpp).
#include "transfer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common.hpp"
#include "error.hpp"

namespace refnet::cli::transfer {

std::string_view to_string(Entity entity) {
  switch (entity) {
    case Entity::contacts:
      return "contacts";
    case Entity::referrals:
      return "referrals";
    case Entity::touchpoints:
      return "touchpoints";
    case Entity::events:
      return "events";
  }
  return "contacts";
}

io::Key redaction_key(Context& ctx) {
  auto& store = ctx.store();
  auto stored = store.secret("redaction");
  if (!stored) {
    const auto fresh = io::new_key();
    store::Store::WriteTransaction tx(store);
    // Another refnet may have stored one meanwhile: INSERT OR IGNORE keeps the first.
    store.add_secret("redaction", std::vector<unsigned char>(fresh.begin(), fresh.end()),
                     ctx.now());
    tx.commit();
    stored = store.secret("redaction");
  }
  if (!stored || stored->size() != io::key_size) {
    throw Error(Exit::io, "the database's redaction key is damaged",
                "check it with: refnet db check");
  }
  io::Key key{};
  std::copy(stored->begin(), stored->end(), key.begin());
  return key;
}

std::string database_id(Context& ctx) {
  return io::derived_id(redaction_key(ctx), "calendar", 16);
}

}  // namespace refnet::cli::transfer
