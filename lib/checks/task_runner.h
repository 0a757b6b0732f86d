#pragma once
// Runs numbered, independent pieces of work on a few threads. Each piece writes only its own
// output, and the caller joins the outputs in piece order, so a report is the same on one
// thread as on several.
#include <cstddef>
#include <functional>

namespace pmtalint {

// Calls work(0) … work(count - 1), each once, on `threads` threads (this one included). `stop`
// is asked on the calling thread only, before each piece it takes (it may read an editor's
// input); once it says true no piece starts anywhere. Returns whether it did. An exception thrown
// by a piece is rethrown here after every thread has ended.
bool run_pieces(size_t count, unsigned threads, const std::function<void(size_t)>& work, const std::function<bool()>& stop);

// The threads worth using on this machine for a job of `size` units (1 below a size where
// starting a thread costs more than it saves).
unsigned threads_for(size_t size);

}  // namespace pmtalint
