// sift: one node. Flags -> Node -> HTTP server -> wait for SIGTERM/SIGINT -> clean shutdown.
//   sift [--data DIR] [--host ADDR] [--port N] [--node-name NAME] [--config FILE]
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

#include "cluster/node.h"
#include "common/log.h"
#include "common/memory.h"
#include "common/time_util.h"
#include "http/handlers.h"
#include "http/server.h"

namespace {

void usage() {
  std::fprintf(stderr,
               "usage: sift [--data DIR] [--host ADDR] [--port N] [--node-name NAME] [--cluster-name NAME]\n"
               "            [--config FILE]\n"
               "  --config reads `key: value` lines (cluster.name, node.name, path.data, network.host, http.port).\n");
}

// Reads an opensearch.yml-style file of flat `key: value` lines.
bool read_config(const std::string& path, std::map<std::string, std::string>* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto trim = [](std::string s) {
      size_t a = s.find_first_not_of(" \t\"'"), b = s.find_last_not_of(" \t\"'\r");
      return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
    };
    (*out)[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  sift::configure_allocator();
  sift::cluster::NodeOptions node_opts;
  sift::http::ServerOptions server_opts;
  std::map<std::string, std::string> flags;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      usage();
      return 0;
    }
    if (a == "--version") {
      std::printf("sift %s\n", SIFT_VERSION);
      return 0;
    }
    size_t eq = a.find('=');
    std::string key = a.substr(0, eq), value;
    if (eq != std::string::npos) {
      value = a.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      std::fprintf(stderr, "sift: %s needs a value\n", a.c_str());
      usage();
      return 2;
    }
    if (key != "--data" && key != "--host" && key != "--port" && key != "--node-name" && key != "--config" &&
        key != "--cluster-name") {
      std::fprintf(stderr, "sift: unknown flag %s\n", key.c_str());
      usage();
      return 2;
    }
    flags[key] = value;
  }
  std::map<std::string, std::string> config;
  if (flags.count("--config") && !read_config(flags["--config"], &config)) {
    std::fprintf(stderr, "sift: cannot read config file %s\n", flags["--config"].c_str());
    return 2;
  }
  auto pick = [&](const char* flag, const char* config_key, const std::string& fallback) {
    if (flags.count(flag)) return flags[flag];
    if (config.count(config_key)) return config[config_key];
    return fallback;
  };
  node_opts.data_path = pick("--data", "path.data", "./data");
  node_opts.node_name = pick("--node-name", "node.name", "");
  node_opts.cluster_name = pick("--cluster-name", "cluster.name", "sift");
  server_opts.host = pick("--host", "network.host", "127.0.0.1");
  std::string port = pick("--port", "http.port", "9200");
  try {
    size_t used = 0;
    int p = std::stoi(port, &used);
    if (used != port.size() || p < 0 || p > 65535) throw std::out_of_range("port");
    server_opts.port = static_cast<uint16_t>(p);
  } catch (...) {
    std::fprintf(stderr, "sift: invalid port [%s]\n", port.c_str());
    return 2;
  }

  // Signals are taken synchronously by this thread; every thread started later inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  int64_t start = sift::monotonic_nanos();
  node_opts.publish_host = server_opts.host == "0.0.0.0" ? "127.0.0.1" : server_opts.host;
  node_opts.http_port = server_opts.port;
  auto node = sift::cluster::Node::open(node_opts);
  if (!node.is_ok()) {
    sift::log::error("cannot open the data directory: " + node.status().to_string());
    return 1;
  }
  auto router = std::make_shared<sift::http::Router>();
  sift::http::ServerInfo info{SIFT_VERSION, "sift-" SIFT_VERSION, __DATE__ " " __TIME__};
  sift::http::register_all_handlers(*router, **node, info);
  sift::http::Server server(server_opts, router);
  sift::Status st = server.start();
  if (!st.is_ok()) {
    sift::log::error("cannot start the HTTP server on " + server_opts.host + ":" + port + ": " + st.to_string());
    return 1;
  }
  (*node)->start_background();
  double ms = static_cast<double>(sift::monotonic_nanos() - start) / 1e6;
  char started[64];
  std::snprintf(started, sizeof started, "%.1f", ms);
  sift::log::info("sift " SIFT_VERSION " started in " + std::string(started) + "ms: data [" + node_opts.data_path +
                  "], http [" + server_opts.host + ":" + std::to_string(server.port()) + "], node [" +
                  (*node)->options().node_name + "], cluster [" + node_opts.cluster_name + "]");
  int sig = 0;
  sigwait(&signals, &sig);
  sift::log::info(std::string("received ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + ", shutting down");
  server.stop();
  (*node)->stop();
  sift::log::info("stopped");
  return 0;
}
