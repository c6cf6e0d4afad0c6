// libFuzzer target: `refnet import`'s row checks (src/cli/import_rows.cpp) on arbitrary csv, for
// every entity, against a small database. Each import is rolled back, as a failed or --dry-run
// import is, so every input meets the same database.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "cli/context.hpp"
#include "cli/import_rows.hpp"
#include "io/reader.hpp"

namespace {

using namespace refnet;
using cli::importing::OnDuplicate;
using cli::transfer::Entity;

// Contacts found by NPI, by name (Bob Stone is ambiguous), by id; an event; one referral and a
// planned follow-up to find duplicates of.
constexpr std::string_view seed_events =
    "id,name,kind,date,location\n1,ACC Annual,conference,2026-03-14,Chicago\n";
constexpr std::string_view seed_contacts =
    "id,name,role,specialty,practice,npi,event_id,tags,archived\n"
    "1,Ann Lee,pcp,Family Medicine,Elm Street,1234567893,1,\"vip,diabetes\",\n"
    "2,Bob Stone,specialist,Cardiology,Heart Center,1987654328,,,\n"
    "3,Bob Stone,allied,Physiotherapy,Move Well,,,,\n"
    "4,Cara Diaz,pcp,,Oak Clinic,2000000010,,,2026-01-05T10:00:00Z\n";
constexpr std::string_view seed_referrals =
    "id,direction,contact_id,patient,urgency,status,referred,acknowledged\n"
    "1,in,1,MRN-1001,routine,acknowledged,2026-11-20T10:00:00Z,2026-11-21T08:00:00Z\n";
constexpr std::string_view seed_touchpoints =
    "id,contact_id,referral_id,via,due,note\n1,1,1,call,2026-11-28T09:00:00Z,thank you\n";

struct World {
  std::filesystem::path folder;
  std::ostringstream out;
  std::ostringstream err;
  cli::Context ctx{out, err};
};

std::unique_ptr<World> world;

// Reads csv text as run_import does and hands each record to the entity's importer; commits only
// when asked and every line is good. The number of problems found.
std::size_t import_csv(Entity entity, std::string_view text, OnDuplicate policy, bool commit) {
  std::istringstream in{std::string(text)};
  const auto reader = io::make_reader(io::InputFormat::csv, in);
  auto& store = world->ctx.store();
  store::Store::WriteTransaction tx(store);
  cli::importing::Problems problems("fuzz.csv");
  const auto importer =
      cli::importing::make_row_importer(world->ctx, entity, policy, true, {}, problems);
  io::Record record;
  std::size_t mapped = 0;
  while (reader->next(record)) {
    if (reader->columns().size() > mapped) {
      importer->map_columns(reader->columns(), 1);
      mapped = reader->columns().size();
    }
    for (const auto& p : record.problems) problems.add(p);
    if (record.problems.empty()) importer->import(record);
  }
  importer->finish();
  if (commit && problems.count() == 0) tx.commit();
  return problems.count();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  setenv("REFNET_NOW", "2026-11-27T09:00:00Z", 1);
  setenv("TZ", "UTC", 1);
  world = std::make_unique<World>();
  // TMPDIR is the runner's scratch folder; the database lives there, never in the source tree.
  std::string folder = (std::filesystem::temp_directory_path() / "refnet-fuzz-XXXXXX").string();
  if (mkdtemp(folder.data()) == nullptr) std::abort();
  world->folder = folder;
  world->ctx.global.db = (world->folder / "refnet.db").string();
  world->ctx.global.config = (world->folder / "absent.toml").string();  // every default
  world->ctx.store(store::Store::Open::create);
  const std::pair<Entity, std::string_view> seeds[] = {{Entity::events, seed_events},
                                                       {Entity::contacts, seed_contacts},
                                                       {Entity::referrals, seed_referrals},
                                                       {Entity::touchpoints, seed_touchpoints}};
  for (const auto& [entity, text] : seeds) {
    if (import_csv(entity, text, OnDuplicate::error, true) != 0) std::abort();
  }
  std::atexit([] {
    std::error_code ec;
    const auto scratch = world->folder;
    world.reset();
    std::filesystem::remove_all(scratch, ec);
  });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The same file as each entity, under a duplicate policy that varies with the input.
  const auto policy = static_cast<OnDuplicate>(size % 3);
  for (const auto entity :
       {Entity::contacts, Entity::referrals, Entity::touchpoints, Entity::events}) {
    import_csv(entity, text, policy, false);
  }
  return 0;
}
