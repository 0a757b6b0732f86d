// libFuzzer: the language server on one input stream (framing, JSON-RPC dispatch, document
// sync and every request handler). Replies go to /dev/null; the input is served from a memory
// file, so inputs of any size need no pipe buffering.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#include "lsp/server.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const int in = memfd_create("fuzz-lsp", 0);
  const int out = open("/dev/null", O_WRONLY);
  if (in < 0 || out < 0) abort();
  for (size_t done = 0; done < size;) {
    const ssize_t n = write(in, data + done, size - done);
    if (n <= 0) abort();
    done += static_cast<size_t>(n);
  }
  lseek(in, 0, SEEK_SET);
  pmtalint::lsp::serve(in, out, "fuzz");
  close(in);
  close(out);
  return 0;
}
