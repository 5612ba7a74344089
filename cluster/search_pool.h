// The search thread pool: the coordinator runs the query phase of a search's shards on it in
// parallel. The calling thread takes part, so a search never waits on a pool busy with others.
#pragma once

#include <cstddef>
#include <functional>

namespace sift::cluster {

// Runs fn(0) .. fn(n - 1), each once, spread over the calling thread and idle search threads;
// returns when all have finished. fn must not throw.
void parallel_for(size_t n, const std::function<void(size_t)>& fn);

}  // namespace sift::cluster
