// Due times from the service levels: acknowledgement, report back, follow-ups, keep in touch.
#include "domain/sla.hpp"

namespace refnet::domain {

Timestamp acknowledge_due(Timestamp referred, Urgency urgency, const ServiceLevels& sla) {
  switch (urgency) {
    case Urgency::routine:
      return add_duration(referred, sla.acknowledge_routine, sla.calendar);
    case Urgency::urgent:
      return add_duration(referred, sla.acknowledge_urgent, sla.calendar);
    case Urgency::emergent:
      return add_duration(referred, sla.acknowledge_emergent, sla.calendar);
  }
  return add_duration(referred, sla.acknowledge_routine, sla.calendar);
}

Timestamp report_due(Timestamp seen, const ServiceLevels& sla) {
  return add_duration(seen, sla.report_back_within, sla.calendar);
}

Timestamp followup_after_referral_due(Timestamp referred, const ServiceLevels& sla) {
  return add_duration(referred, sla.followup_after_referral, sla.calendar);
}

Timestamp followup_after_meeting_due(Timestamp met, const ServiceLevels& sla) {
  return add_duration(met, sla.followup_after_meeting, sla.calendar);
}

Timestamp keep_in_touch_cutoff(Timestamp now, const ServiceLevels& sla) {
  // add_duration steps backward for a negative count, over business days too.
  const Duration back{-sla.keep_in_touch.count, sla.keep_in_touch.unit};
  return add_duration(now, back, sla.calendar);
}

}  // namespace refnet::domain
