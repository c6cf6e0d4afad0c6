// edit --referral: a referral recorded with a mistake in it put right (refnet(1) edit).
#pragma once

#include <map>
#include <memory>
#include <string>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace refnet::cli {

class Context;

// What `edit --referral ID` may change, as given on the command line.
struct ReferralEdit {
  std::string referral, contact, direction, patient, reason, urgency, date, note;
  std::map<std::string, CLI::Option*> given;  // by option name, without the dashes

  bool has(const std::string& key) const;
  // Whether any of its options but --referral and --note was given.
  bool any_field() const;
};

// Adds --referral and the referral's options to `edit`, each saying it goes with --referral. --note
// is contact's: `note` here is set by the caller from it.
std::shared_ptr<ReferralEdit> add_referral_edit_options(CLI::App& edit);

// Changes referral o.referral as asked, in one transaction, audited old -> new (action edit); the
// acknowledgement due is worked out again, and its open follow-ups follow it to its new contact
// or direction.
void run_referral_edit(Context& ctx, const ReferralEdit& o, bool note_given);

}  // namespace refnet::cli
