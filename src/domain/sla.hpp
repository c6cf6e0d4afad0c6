// The service levels from the config, and the due times they give referrals and follow-ups.
#pragma once

#include "domain/time.hpp"
#include "domain/vocabulary.hpp"

namespace refnet::domain {

// The service levels of refnet(1) and refnet-config(5), read from config ([sla], [sla.acknowledge],
// [calendar]).
struct ServiceLevels {
  Duration acknowledge_routine{2, Duration::Unit::business_days};
  Duration acknowledge_urgent{24, Duration::Unit::hours};
  Duration acknowledge_emergent{2, Duration::Unit::hours};
  Duration followup_after_referral{24, Duration::Unit::hours};
  Duration followup_after_meeting{24, Duration::Unit::hours};
  Duration report_back_within{14, Duration::Unit::days};
  Duration keep_in_touch{90, Duration::Unit::days};
  BusinessCalendar calendar;
};

// When a referral made at `referred` must be acknowledged (either direction).
Timestamp acknowledge_due(Timestamp referred, Urgency urgency, const ServiceLevels& sla);
// When the report (ours for `in`, the consultant's for `out`) is due after the patient was seen.
Timestamp report_due(Timestamp seen, const ServiceLevels& sla);
// When the thank-you / circle-back follow-up after an inbound referral is due.
Timestamp followup_after_referral_due(Timestamp referred, const ServiceLevels& sla);
// When the follow-up after meeting a contact is due.
Timestamp followup_after_meeting_due(Timestamp met, const ServiceLevels& sla);
// The moment before which a contact's last touch counts as "losing touch".
Timestamp keep_in_touch_cutoff(Timestamp now, const ServiceLevels& sla);

}  // namespace refnet::domain
