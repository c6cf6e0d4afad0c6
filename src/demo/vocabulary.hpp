// The demo's word pools: names, places, cities, specialties, reasons, notes and event templates.
#pragma once

// The word pools the demo generator draws from: invented people, places and practices (no real
// person is meant), specialties with the referral reasons that fit them, and the notes people
// actually write.

#include <array>
#include <span>
#include <string_view>

namespace refnet::demo::words {

using Pool = std::span<const std::string_view>;

inline constexpr std::string_view first_names[] = {
    "Ann",     "Maria",  "David",    "James",  "Priya",   "Wei",    "Carlos", "Fatima",
    "Robert",  "Linda",  "Michael",  "Sarah",  "Ahmed",   "Grace",  "Daniel", "Elena",
    "Kevin",   "Aisha",  "Thomas",   "Laura",  "Hiroshi", "Olivia", "Samuel", "Nadia",
    "Brian",   "Rachel", "Omar",     "Emily",  "Victor",  "Hannah", "Raj",    "Sofia",
    "Patrick", "Mei",    "Jonathan", "Ingrid", "Marcus",  "Leah",   "Andre",  "Claire",
    "Tomas",   "Yuki",   "Gabriel",  "Irene",  "Kwame",   "Julia",  "Diego",  "Anita",
    "Peter",   "Rosa",   "Alan",     "Nora",   "Felix",   "Tara",   "Henry",  "Amara",
    "Lucas",   "Helen",  "Ivan",     "Dana",   "Noah",    "Esther", "Malik",  "Vera"};

inline constexpr std::string_view last_names[] = {
    "Lee",      "Patel",   "Nguyen",    "Garcia",   "Smith",   "Chen",     "Okafor",   "Johnson",
    "Kim",      "Rossi",   "Novak",     "Haddad",   "Brooks",  "Silva",    "Murphy",   "Cohen",
    "Martinez", "Singh",   "Walker",    "Kowalski", "Tanaka",  "Hughes",   "Andersen", "Ramirez",
    "Osei",     "Fischer", "Moreau",    "Price",    "Romero",  "Shah",     "Bennett",  "Ivanova",
    "Castillo", "Park",    "Reyes",     "Sullivan", "Dubois",  "Mensah",   "Larsen",   "Ortiz",
    "Khan",     "Foster",  "Lindqvist", "Alvarez",  "Wright",  "Yamamoto", "Greene",   "Petrov",
    "Hassan",   "Coleman", "Bauer",     "Flores",   "Ward",    "Ahmed",    "Jensen",   "Morales",
    "Bishop",   "Costa",   "Webb",      "Das",      "Holt",    "Nakamura", "Barker",   "Vargas",
    "Quinn",    "Abbott",  "Mendez",    "Hale",     "Sato",    "Fleming",  "Varga",    "Sousa",
    "Doyle",    "Iyer",    "Kerr",      "Lam",      "Navarro", "Pryor",    "Weiss",    "Young"};

// Names for practices and facilities: neighbourhoods, not people.
inline constexpr std::string_view places[] = {
    "Riverside", "Lakeview",    "Northgate",  "Cedar Hill",   "Harbor",       "Oak Park",
    "Westbrook", "Meadowbrook", "Pine Ridge", "Brookside",    "Eastside",     "Valley",
    "Hillcrest", "Parkway",     "Bayview",    "Crossroads",   "Willow Creek", "Stonebridge",
    "Maple",     "Fairhaven",   "Greenfield", "Kingsley",     "Heritage",     "Southpoint",
    "Highland",  "Clearwater",  "Elm Street", "Canal Street", "Old Mill",     "Foxhollow"};

struct City {
  std::string_view name;
  std::string_view area_code;  // with 555-01xx, a number reserved for fiction
  int weight;
};
inline constexpr City cities[] = {
    {"Springfield", "217", 24}, {"Fairview", "503", 18},  {"Riverton", "307", 14},
    {"Lakewood", "303", 12},    {"Georgetown", "512", 6}, {"Franklin", "615", 5},
    {"Madison", "608", 5},      {"Ashland", "541", 4},    {"Milton", "617", 4},
    {"Clinton", "319", 3},      {"Salem", "978", 3},      {"Greenville", "864", 2}};

// What a specialty looks like in the network: how its practices are named, the credential
// its people sign with (empty for physicians), a typical tag, and why patients go there.
struct Specialty {
  std::string_view name;
  std::string_view practice;
  std::string_view credential;
  std::string_view tag;
  Pool reasons;
  int weight;
};

inline constexpr std::string_view cardiology[] = {"chest pain evaluation",
                                                  "atrial fibrillation",
                                                  "new heart murmur",
                                                  "abnormal ECG",
                                                  "palpitations",
                                                  "heart failure management",
                                                  "pre-operative cardiac clearance",
                                                  "resistant hypertension"};
inline constexpr std::string_view orthopedics[] = {"knee pain, suspected meniscal tear",
                                                   "suspected rotator cuff tear",
                                                   "hip osteoarthritis",
                                                   "ankle fracture follow-up",
                                                   "low back pain with radiculopathy",
                                                   "ACL injury",
                                                   "carpal tunnel syndrome"};
inline constexpr std::string_view dermatology[] = {"changing mole",
                                                   "psoriasis",
                                                   "severe acne",
                                                   "suspicious skin lesion",
                                                   "eczema not responding to treatment",
                                                   "hidradenitis suppurativa"};
inline constexpr std::string_view gastroenterology[] = {
    "screening colonoscopy",  "GERD refractory to PPI", "elevated liver enzymes",
    "iron deficiency anemia", "chronic diarrhea",       "rectal bleeding"};
inline constexpr std::string_view neurology[] = {"migraine, frequent",
                                                 "new-onset seizure",
                                                 "peripheral neuropathy",
                                                 "memory concerns",
                                                 "tremor",
                                                 "numbness and tingling"};
inline constexpr std::string_view endocrinology[] = {
    "uncontrolled type 2 diabetes", "thyroid nodule",    "hyperthyroidism", "osteoporosis",
    "adrenal incidentaloma",        "insulin pump start"};
inline constexpr std::string_view pulmonology[] = {
    "chronic cough",         "COPD management",           "abnormal chest CT",
    "suspected sleep apnea", "asthma, poorly controlled", "lung nodule follow-up"};
inline constexpr std::string_view rheumatology[] = {"inflammatory arthritis", "positive ANA",
                                                    "recurrent gout flares", "lupus follow-up",
                                                    "polymyalgia rheumatica"};
inline constexpr std::string_view urology[] = {
    "elevated PSA", "kidney stones", "microscopic hematuria", "BPH symptoms", "recurrent UTIs"};
inline constexpr std::string_view oncology[] = {"newly diagnosed breast cancer", "abnormal CBC",
                                                "lung mass, concern for malignancy",
                                                "survivorship care", "lymphadenopathy"};
inline constexpr std::string_view nephrology[] = {"CKD stage 3", "proteinuria", "rising creatinine",
                                                  "electrolyte abnormality"};
inline constexpr std::string_view ophthalmology[] = {"diabetic retinopathy screening",
                                                     "glaucoma suspect", "cataract evaluation",
                                                     "sudden vision change"};
inline constexpr std::string_view otolaryngology[] = {
    "chronic sinusitis", "hearing loss", "recurrent tonsillitis", "hoarseness > 3 weeks"};
inline constexpr std::string_view gynecology[] = {"abnormal uterine bleeding", "pelvic pain",
                                                  "abnormal Pap smear", "menopause management"};
inline constexpr std::string_view surgery[] = {"symptomatic gallstones", "inguinal hernia",
                                               "breast mass", "lipoma excision"};
inline constexpr std::string_view psychiatry[] = {
    "treatment-resistant depression", "bipolar disorder, medication review",
    "ADHD evaluation (adult)", "anxiety with panic attacks"};
inline constexpr std::string_view pain_medicine[] = {"chronic low back pain",
                                                     "epidural steroid injection",
                                                     "neuropathic pain", "opioid taper support"};

inline constexpr Specialty specialists[] = {
    {"cardiology", "Cardiology", "", "", cardiology, 12},
    {"orthopedics", "Orthopedics & Sports Medicine", "", "sports", orthopedics, 12},
    {"dermatology", "Dermatology", "", "", dermatology, 8},
    {"gastroenterology", "Digestive Health", "", "", gastroenterology, 9},
    {"neurology", "Neurology", "", "", neurology, 7},
    {"endocrinology", "Endocrine & Diabetes", "", "diabetes", endocrinology, 7},
    {"pulmonology", "Pulmonary & Sleep", "", "", pulmonology, 6},
    {"rheumatology", "Rheumatology", "", "", rheumatology, 5},
    {"urology", "Urology", "", "", urology, 6},
    {"oncology", "Cancer Center", "", "hospital-affiliated", oncology, 5},
    {"nephrology", "Kidney Care", "", "diabetes", nephrology, 4},
    {"ophthalmology", "Eye Care", "", "diabetes", ophthalmology, 4},
    {"otolaryngology", "ENT", "", "", otolaryngology, 4},
    {"obstetrics and gynecology", "Women's Health", "", "", gynecology, 4},
    {"general surgery", "Surgical Associates", "", "hospital-affiliated", surgery, 4},
    {"psychiatry", "Behavioral Medicine", "", "", psychiatry, 3},
    {"pain medicine", "Pain & Spine", "", "", pain_medicine, 3},
};

// What primary care sends to us: the practice is a consultative one, so reasons are broad.
inline constexpr std::string_view consult_reasons[] = {"evaluation of unexplained fatigue",
                                                       "uncontrolled hypertension",
                                                       "second opinion",
                                                       "unintentional weight loss",
                                                       "abnormal labs",
                                                       "chronic pain management",
                                                       "pre-operative evaluation",
                                                       "diabetes co-management",
                                                       "joint pain and swelling",
                                                       "shortness of breath on exertion",
                                                       "recurrent dizziness",
                                                       "anemia workup",
                                                       "complex medication review",
                                                       "abdominal pain",
                                                       "follow-up after ED visit"};
// Why we send someone to primary care.
inline constexpr std::string_view primary_care_reasons[] = {
    "establish primary care", "return to primary care after consult",
    "needs a primary care physician", "preventive care and screenings"};

inline constexpr Specialty primary_care[] = {
    {"family medicine", "Family Medicine", "", "", primary_care_reasons, 6},
    {"internal medicine", "Internal Medicine Associates", "", "diabetes", primary_care_reasons, 5},
    {"pediatrics", "Pediatrics", "", "pediatrics", primary_care_reasons, 2},
    {"geriatrics", "Senior Care", "", "geriatrics", primary_care_reasons, 1},
};

inline constexpr std::string_view physical_therapy[] = {
    "post-op knee rehabilitation", "low back pain, conservative care",
    "balance and fall prevention", "shoulder impingement", "sports injury rehab"};
inline constexpr std::string_view occupational_therapy[] = {
    "hand therapy after fracture", "home safety evaluation", "return-to-work program"};
inline constexpr std::string_view speech_therapy[] = {"dysphagia evaluation", "voice therapy",
                                                      "aphasia after stroke"};
inline constexpr std::string_view nutrition[] = {"medical nutrition therapy for diabetes",
                                                 "weight management", "celiac disease diet",
                                                 "renal diet counseling"};
inline constexpr std::string_view behavioral_health[] = {"depression and anxiety",
                                                         "counseling for chronic pain",
                                                         "insomnia (CBT-I)", "caregiver stress"};
inline constexpr std::string_view nurse_practitioner[] = {
    "diabetes education visit", "anticoagulation monitoring", "wound check"};
inline constexpr Specialty allied[] = {
    {"physical therapy", "Physical Therapy", "PT", "sports", physical_therapy, 6},
    {"occupational therapy", "Hand & Occupational Therapy", "OTR/L", "", occupational_therapy, 2},
    {"speech therapy", "Speech & Swallowing", "CCC-SLP", "", speech_therapy, 1},
    {"nutrition", "Nutrition Services", "RD", "diabetes", nutrition, 2},
    {"behavioral health", "Counseling Center", "LCSW", "telehealth", behavioral_health, 3},
    {"nurse practitioner", "Urgent & Family Care", "NP", "same-day", nurse_practitioner, 2},
};

inline constexpr std::string_view imaging[] = {"MRI lumbar spine",    "CT abdomen and pelvis",
                                               "echocardiogram",      "DEXA scan",
                                               "screening mammogram", "ultrasound, thyroid"};
inline constexpr std::string_view sleep_lab[] = {"polysomnography", "home sleep apnea test"};
inline constexpr std::string_view surgery_center[] = {"outpatient colonoscopy", "cataract surgery",
                                                      "arthroscopy"};
inline constexpr std::string_view home_health[] = {"home nursing after discharge",
                                                   "wound care at home", "home physical therapy"};
inline constexpr std::string_view skilled_nursing[] = {"short-term rehab stay",
                                                       "post-acute care after hip fracture"};
inline constexpr std::string_view laboratory[] = {"fasting lipid panel", "24-hour urine study"};
inline constexpr std::string_view urgent_care[] = {"after-hours follow-up", "suture removal"};
inline constexpr Specialty facilities[] = {
    {"imaging", "Imaging Center", "", "", imaging, 5},
    {"sleep medicine", "Sleep Lab", "", "", sleep_lab, 2},
    {"ambulatory surgery", "Surgery Center", "", "", surgery_center, 2},
    {"home health", "Home Health", "", "", home_health, 2},
    {"skilled nursing", "Rehabilitation & Nursing Center", "", "", skilled_nursing, 2},
    {"laboratory", "Lab Services", "", "", laboratory, 1},
    {"urgent care", "Urgent Care", "", "same-day", urgent_care, 2},
};

inline constexpr std::string_view coordination[] = {"care transition after discharge",
                                                    "care coordination for a complex patient",
                                                    "social needs assessment"};
inline constexpr Specialty others[] = {
    {"care coordination", "Health Plan", "", "", coordination, 3},
    {"case management", "Community Hospital", "", "hospital-affiliated", coordination, 2},
    {"social work", "Community Services", "", "", coordination, 1},
};

inline constexpr std::string_view tags[] = {"hospital-affiliated",
                                            "accepts-medicaid",
                                            "spanish-speaking",
                                            "telehealth",
                                            "same-day",
                                            "academic",
                                            "diabetes",
                                            "sports"};

inline constexpr std::string_view contact_notes[] = {
    "prefers records by fax",
    "front desk is quickest by phone before 9am",
    "likes a short summary, not the full consult note",
    "office manager handles referrals",
    "interested in co-management",
    "asked for our referral form",
    "retiring next year?"};

inline constexpr std::string_view referral_notes[] = {"interpreter needed (Spanish)",
                                                      "patient prefers morning appointments",
                                                      "records faxed",
                                                      "imaging on CD with the patient",
                                                      "prior authorization pending",
                                                      "wheelchair access needed",
                                                      "patient asked for a telehealth visit"};

inline constexpr std::string_view decline_in[] = {
    "outside our scope of practice", "insurance not accepted",
    "no availability within the requested window", "referral information incomplete",
    "patient already established with another provider"};
inline constexpr std::string_view decline_out[] = {
    "not accepting new patients", "insurance not accepted", "referred to a subspecialist instead",
    "patient declined the appointment", "duplicate referral"};
inline constexpr std::string_view cancel_notes[] = {
    "patient cancelled", "patient moved out of the area", "symptoms resolved", "insurance changed",
    "patient chose a provider closer to home"};
inline constexpr std::string_view no_show_notes[] = {
    "no-show; left a voicemail", "no-show; letter sent", "no-show; will call to rebook"};

// Logged touchpoints: what the physician or the office did, by occasion.
struct Touch {
  std::string_view via;
  std::string_view note;
};
inline constexpr Touch thanks[] = {{"call", "called to thank for the referral"},
                                   {"call", "thanked them; appointment being scheduled"},
                                   {"email", "emailed thanks and confirmed receipt"},
                                   {"email", "thank-you email with our intake details"},
                                   {"letter", "thank-you letter sent"},
                                   {"update", "sent an update after the first visit"}};
inline constexpr Touch after_meeting[] = {{"email", "good to meet; sent our referral guide"},
                                          {"linkedin", "connected on LinkedIn"},
                                          {"call", "called to follow up on our conversation"},
                                          {"email", "sent the slides we discussed"}};
inline constexpr Touch relationship[] = {{"call", "checked in"},
                                         {"call", "discussed a shared patient"},
                                         {"email", "sent quarterly outcomes summary"},
                                         {"email", "shared our new scheduling line"},
                                         {"visit", "lunch with the team"},
                                         {"visit", "dropped off referral pads"},
                                         {"meeting", "coffee; talked about co-management"},
                                         {"video", "case conference"},
                                         {"linkedin", "congratulated them on the new office"},
                                         {"update", "sent a consult report summary"},
                                         {"letter", "holiday card"}};
inline constexpr Touch manual_plans[] = {{"call", "invite to our lunch-and-learn"},
                                         {"email", "send the outcomes summary"},
                                         {"visit", "drop off referral pads"},
                                         {"meeting", "coffee to talk about co-management"},
                                         {"call", "ask about their new nurse practitioner"},
                                         {"call", "reconnect: referrals have dropped off"}};

struct EventTemplate {
  std::string_view kind;
  std::string_view name;
  std::string_view location;
};
inline constexpr EventTemplate events[] = {
    {"conference", "Regional Primary Care Conference", "Lakeview Convention Center"},
    {"hosted", "Practice Open House", "our office"},
    {"cme", "Cardiometabolic Update CME", "Riverside Medical Center auditorium"},
    {"association", "County Medical Society Dinner", "Harbor Club"},
    {"seminar", "Diabetes Care Seminar", "Northgate Community Hospital"},
    {"workshop", "Sports Injury Workshop", "Summit Athletic Center"},
    {"social", "Physicians' Networking Mixer", "Cedar Hill Golf Club"},
    {"cme", "Grand Rounds: Managing Chronic Pain", "Valley General Hospital"},
    {"hosted", "Lunch-and-Learn for Referring Offices", "our office"},
    {"conference", "State Specialty Care Summit", "Capitol Hotel"},
    {"association", "Women in Medicine Chapter Meeting", "Oak Park Library"},
    {"seminar", "Value-Based Care Seminar", "Hillcrest Business Center"},
};

// A contact's source when they were met at an event of this kind.
constexpr std::string_view source_of_event_kind(std::string_view kind) {
  if (kind == "hosted") return "hosted-event";
  return kind;  // cme, conference, seminar, workshop, association, social are sources too
}

}  // namespace refnet::demo::words
