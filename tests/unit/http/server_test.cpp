// Drives a real Server on an ephemeral port with raw POSIX sockets, so framing (keep-alive,
// pipelining, HEAD, compression, limits) is checked byte for byte, not through a client library.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "http/response_filters.h"
#include "http/server.h"

using namespace sift;
using namespace sift::http;

namespace {

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
};

class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    timeval tv{3, 0};  // every read is bounded: a hang fails the test instead of stalling it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~Client() { ::close(fd_); }
  int fd() const { return fd_; }

  void send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;  // the server may close early (413); the response tells the story
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  // Reads one response; for HEAD the Content-Length describes a body that is not sent.
  Response read(bool head = false) {
    Response r;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return r;
    }
    std::string header = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    r.status = std::stoi(header.substr(9, 3));
    size_t pos = header.find("\r\n");
    while (pos != std::string::npos && pos < header.size()) {
      size_t next = header.find("\r\n", pos + 2);
      std::string line = header.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t v = line.find_first_not_of(' ', colon + 1);
        r.headers[name] = v == std::string::npos ? "" : line.substr(v);
      }
      pos = next;
    }
    size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    if (head) return r;
    while (buf_.size() < length) {
      if (!fill()) break;
    }
    r.body = buf_.substr(0, length);
    buf_.erase(0, std::min(length, buf_.size()));
    return r;
  }

  // True when the server closed the connection (EOF) within the receive timeout.
  bool closed_by_server() {
    char c;
    return buf_.empty() && ::recv(fd_, &c, 1, 0) == 0;
  }

 private:
  bool fill() {
    char chunk[8192];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  int fd_ = -1;
  std::string buf_;
};

std::string get(std::string_view path, std::string_view extra = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

std::string post(std::string_view path, std::string_view body, std::string_view extra = "") {
  return "POST " + std::string(path) + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n" + std::string(extra) + "\r\n" + std::string(body);
}

std::string big_json() { return R"({"text":")" + std::string(2000, 'x') + R"("})"; }

std::shared_ptr<Router> test_router() {
  auto r = std::make_shared<Router>();
  r->add(Method::kGet, "/hello", [](RestRequest&) { return RestResponse::json(200, R"({"hello":"world"})"); });
  r->add(Method::kGet, "/{index}/{type}", [](RestRequest& req) {
    return RestResponse::json(200, R"({"index":")" + req.param("index") + R"(","type":")" + req.param("type") +
                                       R"(","q":")" + req.param("q") + R"("})");
  });
  r->add(Method::kPost, "/echo", [](RestRequest& req) {
    RestResponse res = RestResponse::text(200, req.body);
    res.headers.emplace_back("X-Content-Type", req.content_type);
    return res;
  });
  r->add(Method::kGet, "/big", [](RestRequest&) { return RestResponse::json(200, big_json()); });
  r->add(Method::kGet, "/throw", [](RestRequest&) -> RestResponse { throw std::runtime_error("boom"); });
  return r;
}

ServerOptions test_options() {
  ServerOptions o;
  o.port = 0;
  o.max_body_bytes = 1024;
  o.worker_threads = 2;
  o.io_threads = 2;  // strands, not luck, keep a connection's steps in order
  o.header_timeout_seconds = 2;
  o.idle_timeout_seconds = 3;
  return o;
}

}  // namespace

TEST_CASE("server: keep-alive, pipelining and response headers", "[server]") {
  Server server(test_options(), test_router());
  REQUIRE(server.start().is_ok());
  REQUIRE(server.port() != 0);
  Client c(server.port());

  c.send(get("/hello", "X-Opaque-Id: req-1\r\n"));
  Response a = c.read();
  CHECK(a.status == 200);
  CHECK(a.body == R"({"hello":"world"})");
  CHECK(a.headers["x-elastic-product"] == "Elasticsearch");
  CHECK(a.headers["x-opaque-id"] == "req-1");
  CHECK(a.headers["content-type"] == "application/json; charset=UTF-8");

  // Same connection, second request.
  // Query values are form-decoded: '+' is a space, %2B a plus.
  c.send(get("/logs/_doc?q=a%20b+c%2Bd"));
  Response b = c.read();
  CHECK(b.status == 200);
  CHECK(b.body == R"({"index":"logs","type":"_doc","q":"a b c+d"})");

  // Three requests in one write come back in order.
  c.send(get("/one/1") + get("/two/2") + get("/three/3"));
  CHECK(c.read().body.find(R"("index":"one")") != std::string::npos);
  CHECK(c.read().body.find(R"("index":"two")") != std::string::npos);
  CHECK(c.read().body.find(R"("index":"three")") != std::string::npos);

  // HEAD: the length of the GET body, and no body bytes (the next response parses cleanly).
  c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n" + get("/hello?pretty"));
  Response h = c.read(/*head=*/true);
  CHECK(h.status == 200);
  CHECK(h.headers["content-length"] == "17");
  Response p = c.read();
  CHECK(p.status == 200);
  CHECK(p.body == "{\n  \"hello\" : \"world\"\n}\n");

  c.send(get("/big?filter_path=nothing"));
  CHECK(c.read().body == "{}");
}

TEST_CASE("server: routing errors and handler failures", "[server]") {
  Server server(test_options(), test_router());
  REQUIRE(server.start().is_ok());
  Client c(server.port());

  c.send(get("/a/b/c?x=1"));
  Response none = c.read();
  CHECK(none.status == 400);
  CHECK(none.body == R"({"error":"no handler found for uri [/a/b/c?x=1] and method [GET]","status":400})");

  c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n");
  Response wrong = c.read();
  CHECK(wrong.status == 405);
  CHECK(wrong.body ==
        R"({"error":"Incorrect HTTP method for uri [/hello] and method [DELETE], allowed: [GET]","status":405})");

  c.send(get("/throw"));
  Response boom = c.read();
  CHECK(boom.status == 500);
  CHECK(boom.body.find(R"("type":"exception","reason":"boom")") != std::string::npos);

  // The connection survived all three.
  c.send(get("/hello"));
  CHECK(c.read().status == 200);

  // HTTP/1.0 without keep-alive closes after the response.
  Client old(server.port());
  old.send("GET /hello HTTP/1.0\r\n\r\n");
  CHECK(old.read().status == 200);
  CHECK(old.closed_by_server());

  Client closing(server.port());
  closing.send(get("/hello", "Connection: close\r\n"));
  CHECK(closing.read().status == 200);
  CHECK(closing.closed_by_server());
}

TEST_CASE("server: request bodies, content types and limits", "[server]") {
  Server server(test_options(), test_router());
  REQUIRE(server.start().is_ok());

  Client c(server.port());
  std::string doc = R"({"field":")" + std::string(600, 'y') + R"("})";
  c.send(post("/echo", compress(doc, Compression::kGzip),
              "Content-Encoding: gzip\r\nContent-Type: application/vnd.opensearch+json; compatible-with=7\r\n"));
  Response echoed = c.read();
  CHECK(echoed.status == 200);
  CHECK(echoed.body == doc);
  CHECK(echoed.headers["x-content-type"] == "application/vnd.opensearch+json");

  c.send(post("/echo", compress(doc, Compression::kDeflate), "Content-Encoding: deflate\r\n"));
  CHECK(c.read().body == doc);

  c.send(post("/echo", "not gzip at all", "Content-Encoding: gzip\r\n"));
  Response corrupt = c.read();
  CHECK(corrupt.status == 400);
  CHECK(corrupt.body.find("parse_exception") != std::string::npos);

  c.send(post("/echo", "a=b", "Content-Type: application/x-www-form-urlencoded\r\n"));
  Response form = c.read();
  CHECK(form.status == 406);
  CHECK(form.body ==
        R"({"error":"Content-Type header [application/x-www-form-urlencoded] is not supported","status":406})");

  c.send(post("/echo", "{}", "Content-Type: Application/JSON; charset=UTF-8\r\n"));
  CHECK(c.read().headers["x-content-type"] == "application/json");

  // curl sends large bodies only after "100 Continue".
  c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n");
  CHECK(c.read().status == 100);
  c.send(R"({"a":1})");
  CHECK(c.read().body == R"({"a":1})");

  // Compressed responses when asked, only for bodies worth compressing.
  c.send(get("/big", "Accept-Encoding: gzip, deflate\r\n"));
  Response zipped = c.read();
  CHECK(zipped.headers["content-encoding"] == "gzip");
  auto unzipped = decompress(zipped.body, 1 << 20);
  REQUIRE(unzipped.is_ok());
  CHECK(unzipped.value() == big_json());
  c.send(get("/hello", "Accept-Encoding: gzip\r\n"));
  Response small = c.read();
  CHECK(small.headers.count("content-encoding") == 0);
  CHECK(small.body == R"({"hello":"world"})");

  // A decompressed body over the limit (1 KB here) is 413 too.
  c.send(post("/echo", compress(std::string(5000, 'z'), Compression::kGzip), "Content-Encoding: gzip\r\n"));
  CHECK(c.read().status == 413);

  // Declared too large: 413 and the connection closes.
  Client big(server.port());
  big.send(post("/echo", std::string(5000, 'q')));
  Response too_large = big.read();
  CHECK(too_large.status == 413);
  CHECK(too_large.body.find(R"("status":413)") != std::string::npos);
  CHECK(big.closed_by_server());
}

TEST_CASE("server: a full worker queue answers 429", "[server]") {
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  std::atomic<int> entered{0};
  auto router = test_router();
  router->add(Method::kGet, "/block", [&](RestRequest&) {
    ++entered;
    std::unique_lock<std::mutex> lock(mu);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return released; });
    return RestResponse::json(200, R"({"blocked":true})");
  });
  auto release = [&] {
    std::lock_guard<std::mutex> lock(mu);
    released = true;
    cv.notify_all();
  };

  ServerOptions o = test_options();
  o.worker_threads = 1;
  o.max_queued_requests = 1;
  Server server(o, router);
  REQUIRE(server.start().is_ok());
  struct Releaser {  // destroyed before the server, so stop() never waits on a blocked handler
    std::function<void()> f;
    ~Releaser() { f(); }
  } releaser{release};

  Client a(server.port()), b(server.port()), c(server.port());
  a.send(get("/block"));
  for (int i = 0; i < 200 && entered.load() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(entered.load() == 1);

  // The worker is busy: one of b and c is queued, the other rejected. Nothing else can answer yet.
  b.send(get("/block"));
  c.send(get("/hello"));
  pollfd fds[2] = {{b.fd(), POLLIN, 0}, {c.fd(), POLLIN, 0}};
  REQUIRE(::poll(fds, 2, 3000) >= 1);
  Client& rejected = (fds[0].revents & POLLIN) ? b : c;
  Client& queued = (fds[0].revents & POLLIN) ? c : b;
  Response r = rejected.read();
  CHECK(r.status == 429);
  CHECK(r.body.find(R"("type":"rejected_execution_exception")") != std::string::npos);
  CHECK(r.body.find(R"("status":429)") != std::string::npos);

  release();
  CHECK(a.read().status == 200);
  CHECK(queued.read().status == 200);
}

TEST_CASE("server: idle connections are closed; stop() closes the rest", "[server]") {
  ServerOptions o = test_options();
  o.idle_timeout_seconds = 1;
  o.header_timeout_seconds = 1;
  Server server(o, test_router());
  REQUIRE(server.start().is_ok());
  Client idle(server.port());
  Client slow(server.port());
  idle.send(get("/hello"));
  slow.send("GET /hello HTTP/1.1\r\nHost:");  // a header that never completes
  CHECK(idle.read().status == 200);
  auto t0 = std::chrono::steady_clock::now();
  CHECK(idle.closed_by_server());
  CHECK(slow.closed_by_server());
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(2500));

  Client open(server.port());
  open.send(get("/hello"));
  CHECK(open.read().status == 200);
  server.stop();
  CHECK(open.closed_by_server());
}
