// Internal to the demo: the queue between the simulation's thread and the writer's.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "store/records.hpp"

namespace refnet::demo {

// Hands the simulation's referrals and touchpoints, in batches, from the thread that makes them
// to the one that writes them: making a million referrals took about as long as writing them
// (perf), and now runs beside the writes on the second core. Bounded: the simulation waits when
// it is `depth` batches ahead.
class Pipe {
 public:
  static constexpr std::size_t batch_rows = 4096;
  static constexpr std::size_t depth = 4;

  using Row = std::variant<store::Referral, store::Touchpoint>;
  using Batch = std::vector<Row>;
  // Thrown on the simulation's thread when the writer has given up.
  struct Stopped {};

  // --- the simulation's side ---
  void push(Row row) {
    if (current_.empty()) current_.reserve(batch_rows);
    current_.push_back(std::move(row));
    if (current_.size() == batch_rows) hand_over();
  }
  // Hands over what is left and says there is no more; with `failure`, the simulation failed.
  void close(std::exception_ptr failure = nullptr) {
    if (!failure && !current_.empty()) {
      try {
        hand_over();
      } catch (const Stopped&) {  // the writer has given up: it wants nothing more
      }
    }
    const std::lock_guard lock(mutex_);
    closed_ = true;
    failure_ = std::move(failure);
    filled_.notify_one();
  }

  // --- the writer's side ---
  // The next batch; nullopt once the simulation has closed and everything was taken. Rethrows
  // the simulation's failure.
  std::optional<Batch> take() {
    std::unique_lock lock(mutex_);
    filled_.wait(lock, [&] { return !ready_.empty() || closed_; });
    if (ready_.empty()) {
      if (failure_) std::rethrow_exception(failure_);
      return std::nullopt;
    }
    Batch batch = std::move(ready_.front());
    ready_.pop_front();
    room_.notify_one();
    return batch;
  }
  // The writer failed: the simulation stops at its next hand-over.
  void stop() {
    const std::lock_guard lock(mutex_);
    stopped_ = true;
    room_.notify_one();
  }

 private:
  void hand_over() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return ready_.size() < depth || stopped_; });
    if (stopped_) throw Stopped{};
    ready_.push_back(std::move(current_));
    current_ = Batch();
    filled_.notify_one();
  }

  Batch current_;  // the simulation's own, until handed over
  std::mutex mutex_;
  std::condition_variable filled_;  // a batch is ready, or the simulation closed
  std::condition_variable room_;    // the writer took one, or stopped
  std::deque<Batch> ready_;
  bool closed_ = false;
  bool stopped_ = false;
  std::exception_ptr failure_;
};

}  // namespace refnet::demo
