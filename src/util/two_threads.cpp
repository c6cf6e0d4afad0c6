// Tasks shared out between the calling thread and one more (see two_threads.hpp).
#include "util/two_threads.hpp"

#include <array>
#include <atomic>
#include <exception>
#include <optional>
#include <system_error>
#include <thread>

namespace refnet::util {

void on_two_threads(std::size_t count,
                    const std::function<void(std::size_t task, int worker)>& task) {
  std::atomic<std::size_t> next{0};
  std::array<std::exception_ptr, 2> failed;
  const auto work = [&](int worker) {
    try {
      for (std::size_t i = next++; i < count; i = next++) task(i, worker);
    } catch (...) {
      failed[static_cast<std::size_t>(worker)] = std::current_exception();
      next = count;  // the other worker stops after the task it is on
    }
  };
  {
    std::optional<std::jthread> helper;
    if (count > 1) {
      try {
        helper.emplace(work, 1);
      } catch (const std::system_error&) {  // no thread to be had: this one does it all
      }
    }
    work(0);
  }  // the helper is joined here
  for (const auto& failure : failed) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace refnet::util
