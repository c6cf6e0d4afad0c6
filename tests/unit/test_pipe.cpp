// The demo's queue between the simulation's thread and the writer's (src/demo/pipe.hpp).
#include <doctest/doctest.h>

#include <cstdint>
#include <stdexcept>
#include <thread>
#include <vector>

#include "demo/pipe.hpp"

using refnet::demo::Pipe;

namespace {

Pipe::Row referral(std::int64_t id) {
  refnet::store::Referral r;
  r.id = id;
  return r;
}

std::int64_t id_of(const Pipe::Row& row) {
  return std::visit([](const auto& record) { return record.id; }, row);
}

}  // namespace

TEST_CASE("every row reaches the writer once, in order, the last part batch at close") {
  Pipe pipe;
  const auto rows = static_cast<std::int64_t>(Pipe::batch_rows * (Pipe::depth + 3) + 17);
  std::thread producer([&] {
    for (std::int64_t id = 1; id <= rows; ++id) {
      if (id % 2 == 0) {
        pipe.push(referral(id));
      } else {
        refnet::store::Touchpoint t;
        t.id = id;
        pipe.push(std::move(t));
      }
    }
    pipe.close();
  });
  std::vector<std::int64_t> seen;
  while (auto batch = pipe.take()) {
    CHECK(batch->size() <= Pipe::batch_rows);
    for (const auto& row : *batch) seen.push_back(id_of(row));
  }
  producer.join();
  REQUIRE(seen.size() == static_cast<std::size_t>(rows));
  for (std::size_t i = 0; i < seen.size(); ++i)
    REQUIRE(seen[i] == static_cast<std::int64_t>(i + 1));
}

TEST_CASE("a writer that stops releases a simulation waiting for room") {
  Pipe pipe;
  bool stopped = false;
  std::thread producer([&] {
    try {
      for (std::int64_t id = 1;; ++id) pipe.push(referral(id));  // fills the pipe, then waits
    } catch (const Pipe::Stopped&) {
      stopped = true;
    }
    pipe.close();
  });
  REQUIRE(pipe.take());  // the writer took one batch, then fails
  pipe.stop();
  producer.join();
  CHECK(stopped);
}

TEST_CASE("the simulation's failure reaches the writer after the rows made before it") {
  Pipe pipe;
  std::thread producer([&] {
    try {
      for (std::int64_t id = 1; id <= static_cast<std::int64_t>(Pipe::batch_rows); ++id) {
        pipe.push(referral(id));
      }
      throw std::runtime_error("simulation failed");
    } catch (...) {
      pipe.close(std::current_exception());
    }
  });
  auto batch = pipe.take();
  REQUIRE(batch);
  CHECK(batch->size() == Pipe::batch_rows);
  CHECK_THROWS_WITH_AS(pipe.take(), "simulation failed", std::runtime_error);
  producer.join();
}
