// The Beast server: an acceptor, one strand per connection (read -> dispatch -> write -> read, so
// pipelined requests are answered in order), and a bounded worker pool for handlers.
#include "http/server.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/json_writer.h"
#include "common/log.h"
#include "http/response_filters.h"

namespace sift::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr size_t kCompressMinBytes = 256;
constexpr auto kLingerTimeout = std::chrono::seconds(2);

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// OpenSearch's bare {"error":"...","status":N} body, used when no handler is involved.
RestResponse simple_error(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("error", message).field("status", status).end_object();
  return RestResponse::json(status, w.take());
}

// ---- worker pool ------------------------------------------------------------------------------

class WorkerPool {
 public:
  ~WorkerPool() { stop(); }

  void start(int threads, size_t max_queued) {
    max_queued_ = max_queued;
    for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { run(); });
  }
  // False when the queue is full (the caller answers 429) or the pool is stopping.
  bool try_submit(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_ || queue_.size() >= max_queued_) return false;
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
  }
  // Queued tasks are dropped; running ones finish.
  void stop() {
    std::deque<std::function<void()>> dropped;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      dropped.swap(queue_);
    }
    cv_.notify_all();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

 private:
  void run() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  size_t max_queued_ = 0;
  bool stopping_ = false;
};

class Connection;

// State shared by the acceptor and the connections; Server::Impl is this plus the lifecycle.
struct ServerCore {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::mutex connections_mu;
  std::vector<std::weak_ptr<Connection>> connections;
  WorkerPool pool;  // declared last: destroyed first, releasing the connections its tasks hold
};

// How to frame the response to one request.
struct ReplyContext {
  unsigned version = 11;
  bool keep_alive = false;
  bool head = false;
  std::string opaque_id;
  std::string accept_encoding;  // lower-cased
};

std::shared_ptr<bhttp::response<bhttp::string_body>> to_beast(RestResponse res, const ReplyContext& ctx) {
  auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
  out->version(ctx.version);
  out->result(static_cast<unsigned>(res.status));
  out->set(bhttp::field::content_type, res.content_type);
  out->set("X-Elastic-Product", "Elasticsearch");
  if (!ctx.opaque_id.empty()) out->set("X-Opaque-Id", ctx.opaque_id);
  for (auto& [k, v] : res.headers) out->insert(k, v);
  if (!ctx.head && res.body.size() >= kCompressMinBytes) {
    std::optional<Compression> kind;
    if (ctx.accept_encoding.find("gzip") != std::string::npos) {
      kind = Compression::kGzip;
    } else if (ctx.accept_encoding.find("deflate") != std::string::npos) {
      kind = Compression::kDeflate;
    }
    if (kind) {
      std::string packed = compress(res.body, *kind);
      if (!packed.empty()) {
        res.body = std::move(packed);
        out->set(bhttp::field::content_encoding, *kind == Compression::kGzip ? "gzip" : "deflate");
        out->set(bhttp::field::vary, "Accept-Encoding");
      }
    }
  }
  out->keep_alive(ctx.keep_alive);
  if (ctx.head) {
    out->content_length(res.body.size());  // the length a GET would have had, with no body
  } else {
    out->body() = std::move(res.body);
    out->prepare_payload();
  }
  return out;
}

// ?filter_path and ?pretty, applied to JSON only, filter first as OpenSearch does.
void apply_response_params(const RestRequest& req, RestResponse& res) {
  if (!res.is_json()) return;
  std::string fp = req.param("filter_path");
  if (!fp.empty()) {
    auto filtered = filter_path(res.body, fp);
    if (filtered.is_ok()) res.body = std::move(filtered).value();
  }
  if (req.has_param("pretty") && req.param("pretty") != "false") {
    auto pretty = pretty_json(res.body);
    if (pretty.is_ok()) res.body = std::move(pretty).value();
  }
}

RestResponse run_handler(const Handler& handler, RestRequest& req) {
  try {
    RestResponse res = handler(req);
    apply_response_params(req, res);
    return res;
  } catch (const std::exception& e) {
    log::error(std::string("handler for [") + req.path + "] threw: " + e.what());
    return error_response(internal_error(e.what()));
  } catch (...) {
    log::error("handler for [" + req.path + "] threw a non-standard exception");
    return error_response(internal_error("unknown error"));
  }
}

Method to_method(bhttp::verb v) {
  switch (v) {
    case bhttp::verb::get: return Method::kGet;
    case bhttp::verb::head: return Method::kHead;
    case bhttp::verb::post: return Method::kPost;
    case bhttp::verb::put: return Method::kPut;
    case bhttp::verb::delete_: return Method::kDelete;
    default: return Method::kOther;
  }
}

bool supported_media_type(std::string_view media) {
  static const char* const kAccepted[] = {
      "application/json",
      "application/x-ndjson",
      "application/vnd.elasticsearch+json",
      "application/vnd.elasticsearch+x-ndjson",
      "application/vnd.opensearch+json",
      "application/vnd.opensearch+x-ndjson",
  };
  for (const char* a : kAccepted) {
    if (media == a) return true;
  }
  return false;
}

// Query string into params: '&'-separated, percent-decoded, '+' kept literally (as OpenSearch).
void parse_query(std::string_view query, std::map<std::string, std::string>* params) {
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view item = query.substr(start, amp - start);
    start = amp + 1;
    if (item.empty()) continue;
    size_t eq = item.find('=');
    // Query parameters are form-encoded: '+' is a space, as OpenSearch decodes them (paths keep '+').
    auto form_decode = [](std::string_view part) {
      std::string plus_as_space(part);
      for (auto& c : plus_as_space) {
        if (c == '+') c = ' ';
      }
      return percent_decode(plus_as_space);
    };
    std::string key = form_decode(item.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : form_decode(item.substr(eq + 1));
    (*params)[std::move(key)] = std::move(value);
  }
}

// Fills `req` from the Beast message. Returns the response to send instead when the request must
// not reach a handler (bad encoding, too large, unsupported content type).
std::optional<RestResponse> build_request(bhttp::request<bhttp::string_body>& msg, size_t max_body,
                                          RestRequest* req) {
  req->method = to_method(msg.method());
  std::string_view target = msg.target();
  size_t q = target.find('?');
  req->path = percent_decode(target.substr(0, q));
  if (q != std::string_view::npos) parse_query(target.substr(q + 1), &req->params);
  for (const auto& f : msg) req->headers.emplace_back(lower(f.name_string()), std::string(f.value()));
  req->body = std::move(msg.body());

  std::string encoding = lower(trim(req->header("content-encoding")));
  if (!req->body.empty() && (encoding == "gzip" || encoding == "x-gzip" || encoding == "deflate")) {
    auto inflated = decompress(req->body, max_body);
    if (!inflated.is_ok()) return error_response(inflated.status());
    req->body = std::move(inflated).value();
  }

  std::string content_type = req->header("content-type");
  std::string media = lower(trim(std::string_view(content_type).substr(0, content_type.find(';'))));
  req->content_type = media;
  if (!req->body.empty() && !content_type.empty() && !supported_media_type(media)) {
    return simple_error(406, "Content-Type header [" + content_type + "] is not supported");
  }
  return std::nullopt;
}

// ---- connection -------------------------------------------------------------------------------

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_next(); });
  }
  // Only from stop(), once no I/O thread runs.
  void close_now() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

 private:
  void read_next() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(core_.options.max_body_bytes);
    if (buffer_.size() > 0) {
      read_header();  // a pipelined request is already here
      return;
    }
    // Waiting for the next request is governed by the idle timeout; once bytes arrive, the
    // header timeout takes over.
    stream_.expires_after(std::chrono::seconds(core_.options.idle_timeout_seconds));
    stream_.async_read_some(buffer_.prepare(8192),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec) return self->close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    stream_.expires_after(std::chrono::seconds(core_.options.header_timeout_seconds));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    auto& msg = parser_->get();
    if (parser_->is_done()) return dispatch_request();
    if (beast::iequals(msg[bhttp::field::expect], "100-continue")) {
      static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.expires_after(std::chrono::seconds(core_.options.idle_timeout_seconds));
      net::async_write(stream_, net::buffer(kContinue, sizeof kContinue - 1),
                       [self = shared_from_this()](beast::error_code ec, size_t) {
                         if (ec) return self->close();
                         self->read_body();
                       });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(std::chrono::seconds(core_.options.idle_timeout_seconds));
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->on_read_error(ec);
      self->dispatch_request();
    });
  }

  void on_read_error(beast::error_code ec) {
    ReplyContext ctx;  // the request is unusable: answer once and close
    if (ec == bhttp::error::body_limit) {
      Status s(Code::kTooLarge, "content_too_long_exception",
               "request body is larger than the limit of [" + std::to_string(core_.options.max_body_bytes) +
                   "] bytes");
      return send(error_response(s), ctx);
    }
    if (ec == bhttp::error::header_limit) {
      return send(error_response(Status(Code::kInvalidArgument, "too_long_frame_exception",
                                        "An HTTP header is larger than " + std::to_string(kHeaderLimit) + " bytes.")),
                  ctx);
    }
    bool client_gone = ec == bhttp::error::end_of_stream || ec == net::error::eof ||
                       ec == beast::error::timeout || ec == net::error::operation_aborted ||
                       ec == net::error::connection_reset || ec == bhttp::error::partial_message;
    if (client_gone) return close();
    send(error_response(parse_error("malformed HTTP request: " + ec.message())), ctx);
  }

  void dispatch_request() {
    auto& msg = parser_->get();
    ReplyContext ctx;
    ctx.version = msg.version();
    ctx.keep_alive = msg.keep_alive();
    ctx.head = msg.method() == bhttp::verb::head;
    ctx.opaque_id = std::string(msg["X-Opaque-Id"]);
    ctx.accept_encoding = lower(msg[bhttp::field::accept_encoding]);
    std::string uri(msg.target());
    std::string method_text(msg.method_string());
    std::string raw_path = uri.substr(0, uri.find('?'));

    RestRequest req;
    if (auto early = build_request(msg, core_.options.max_body_bytes, &req)) {
      if (early->status == 413) ctx.keep_alive = false;
      return send(std::move(*early), ctx);
    }
    parser_.reset();

    const Router& router = *core_.router;
    bool path_known = false;
    const Handler* handler = router.match(req.method, raw_path, &req.params, &path_known);
    if (!handler && req.method == Method::kHead) {
      // A GET route answers HEAD with its headers only.
      handler = router.match(Method::kGet, raw_path, &req.params, &path_known);
    }
    if (!handler) {
      if (!path_known) {
        return send(simple_error(400, "no handler found for uri [" + uri + "] and method [" + method_text + "]"),
                    ctx);
      }
      std::string allowed = allowed_methods(raw_path);
      RestResponse r405 = simple_error(405, "Incorrect HTTP method for uri [" + uri + "] and method [" + method_text +
                                                "], allowed: [" + allowed + "]");
      r405.headers.emplace_back("Allow", allowed);
      return send(std::move(r405), ctx);
    }

    auto task = [self = shared_from_this(), handler, req = std::move(req), ctx]() mutable {
      RestResponse res = run_handler(*handler, req);
      auto out = to_beast(std::move(res), ctx);
      net::post(self->stream_.get_executor(), [self, out, keep_alive = ctx.keep_alive]() mutable {
        self->write(std::move(out), keep_alive);
      });
    };
    if (!core_.pool.try_submit(std::move(task))) {
      Status s(Code::kResourceExhausted, "rejected_execution_exception",
               "rejected execution of http request on thread pool [http], queue capacity = " +
                   std::to_string(core_.options.max_queued_requests));
      send(error_response(s), ctx);
    }
  }

  std::string allowed_methods(const std::string& raw_path) const {
    std::string out;
    for (Method m : {Method::kGet, Method::kHead, Method::kPost, Method::kPut, Method::kDelete}) {
      bool known = false;
      // HEAD answered through a GET route is not listed, as OpenSearch lists only its own routes.
      bool ok = core_.router->match(m, raw_path, nullptr, &known) != nullptr;
      if (!ok) continue;
      if (!out.empty()) out += ", ";
      out += method_name(m);
    }
    return out;
  }

  // On the strand.
  void send(RestResponse res, const ReplyContext& ctx) { write(to_beast(std::move(res), ctx), ctx.keep_alive); }

  void write(std::shared_ptr<bhttp::response<bhttp::string_body>> res, bool keep_alive) {
    parser_.reset();
    stream_.expires_after(std::chrono::seconds(core_.options.idle_timeout_seconds));
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, size_t) {
      if (ec) return self->close();
      if (keep_alive) return self->read_next();
      self->linger_close();
    });
  }

  // Closing with unread input would reset the connection and could discard the response we just
  // sent (a 413 before the body arrived), so half-close and drain until the client closes.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTimeout);
    drain();
  }
  void drain() {
    stream_.async_read_some(net::buffer(drain_buf_), [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->close();
      self->drain();
    });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  ServerCore& core_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  char drain_buf_[4096];
};

}  // namespace

// ---- server -----------------------------------------------------------------------------------

struct Server::Impl : ServerCore {
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> io_threads;
  net::steady_timer accept_retry{ioc};
  uint16_t port = 0;
  bool running = false;

  void accept_next() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (!acceptor.is_open()) return;
      if (!ec) {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        auto conn = std::make_shared<Connection>(std::move(socket), *this);
        {
          std::lock_guard<std::mutex> lock(connections_mu);
          connections.erase(std::remove_if(connections.begin(), connections.end(),
                                           [](const auto& w) { return w.expired(); }),
                            connections.end());
          connections.push_back(conn);
        }
        conn->start();
      } else if (ec == net::error::operation_aborted) {
        return;
      } else {
        // Out of file descriptors and the like: retry shortly rather than spin on the error.
        log::warn("accept failed: " + ec.message());
        accept_retry.expires_after(std::chrono::milliseconds(100));
        accept_retry.async_wait([this](beast::error_code wait_ec) {
          if (!wait_ec) accept_next();
        });
        return;
      }
      accept_next();
    });
  }
};

Server::Server(ServerOptions options, std::shared_ptr<const Router> router) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->router = std::move(router);
}

Server::~Server() { stop(); }

Status Server::start() {
  Impl& s = *impl_;
  if (s.running) return Status::ok();
  if (!s.router) return internal_error("server started without a router");
  beast::error_code ec;
  tcp::endpoint endpoint;
  auto address = net::ip::make_address(s.options.host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, s.options.port);
  } else {
    tcp::resolver resolver(s.ioc);
    auto results = resolver.resolve(s.options.host, std::to_string(s.options.port), ec);
    if (ec || results.empty()) return io_error("cannot resolve host [" + s.options.host + "]: " + ec.message());
    endpoint = results.begin()->endpoint();
  }
  std::string where = s.options.host + ":" + std::to_string(s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    return io_error("failed to bind [" + where + "]: " + ec.message());
  }
  s.port = s.acceptor.local_endpoint().port();
  s.pool.start(s.options.worker_threads, s.options.max_queued_requests);
  s.work.emplace(s.ioc.get_executor());
  s.accept_next();
  for (int i = 0; i < std::max(s.options.io_threads, 1); ++i) {
    s.io_threads.emplace_back([&s] {
      while (true) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          log::error(std::string("http I/O thread: ") + e.what());
        }
      }
    });
  }
  s.running = true;
  return Status::ok();
}

void Server::stop() {
  Impl& s = *impl_;
  if (!s.running) return;
  s.running = false;
  s.work.reset();
  s.ioc.stop();
  for (auto& t : s.io_threads) t.join();
  s.io_threads.clear();
  // No I/O thread runs now, so sockets can be closed from here without their strands.
  beast::error_code ignored;
  s.acceptor.close(ignored);
  {
    std::lock_guard<std::mutex> lock(s.connections_mu);
    for (auto& weak : s.connections) {
      if (auto conn = weak.lock()) conn->close_now();
    }
    s.connections.clear();
  }
  s.pool.stop();
}

uint16_t Server::port() const { return impl_->port; }

}  // namespace sift::http
