// on_two_threads: tasks shared out between the calling thread and one more.
#pragma once

// Work spread over both cores: refnet's machines have two, and a report over a million rows
// reads and ranks them in half the time on both.

#include <cstddef>
#include <functional>

namespace refnet::util {

// Runs task(0) to task(count - 1), each once, on the calling thread (worker 0) and on one more
// (worker 1): each takes the next task when it is free, so tasks of unequal size even out. The
// worker number lets a task keep state of its own thread without locks. The first exception
// stops both from taking further tasks and is rethrown once both have stopped; when the system
// gives no second thread, the calling thread runs every task.
void on_two_threads(std::size_t count,
                    const std::function<void(std::size_t task, int worker)>& task);

}  // namespace refnet::util
