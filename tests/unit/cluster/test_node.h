// A node on a temporary data directory for cluster tests.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "cluster/node.h"

namespace sift::test {

// A fresh directory under /tmp, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/sift_cluster_test_XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// Opens (or reopens) node "n1" on `path`.
inline std::unique_ptr<cluster::Node> open_node(const std::string& path) {
  cluster::NodeOptions o;
  o.data_path = path;
  o.node_name = "n1";
  auto n = cluster::Node::open(o);
  INFO(n.status().to_string());
  REQUIRE(n.is_ok());
  return std::move(n).value();
}

}  // namespace sift::test
