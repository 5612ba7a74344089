// Process memory hygiene. glibc gives each thread that allocates its own arena and keeps what is
// freed there; with many worker threads filling and dropping large segment buffers that held about
// 1 GB of free memory after an ingest (docs/benchmarks.md). Sift caps the arenas at start and
// returns free pages to the OS from the maintenance thread.
#pragma once

namespace sift {

// Call once at process start, before threads exist.
void configure_allocator();
// Returns free heap memory to the OS (malloc_trim); cheap enough to call every few seconds.
void release_free_memory();

}  // namespace sift
