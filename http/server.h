// The HTTP/1.1 server (Boost.Beast, async): keep-alive, pipelined requests answered in order,
// header-read and idle timeouts, a 100 MB body limit (413), gzip/deflate request bodies, gzip
// responses when asked. Handlers run on a bounded worker pool (a full queue answers 429), so a
// handler waiting for an fsync never stalls the I/O threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "http/rest.h"

namespace sift::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 9200;             // 0: pick a free port
  size_t max_body_bytes = 100u * 1024 * 1024;
  int header_timeout_seconds = 30;  // to receive a complete request header
  int idle_timeout_seconds = 120;   // keep-alive connection with no request
  int io_threads = 1;
  int worker_threads = 16;
  size_t max_queued_requests = 1000;
};

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  Status start();   // binds and starts the threads; returns once listening
  void stop();      // closes the listener and connections, joins the threads
  uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sift::http
