// Registration of every REST endpoint. Each handlers_*.cpp file registers one family of routes;
// handlers translate between HTTP and the cluster/ API and render OpenSearch's response bodies.
#pragma once

#include <string>

#include "cluster/node.h"
#include "http/rest.h"

namespace sift::http {

struct ServerInfo {
  std::string version;          // Sift's own version
  std::string build_hash;
  std::string build_date;
};

void register_cluster_handlers(Router& router, cluster::Node& node, const ServerInfo& info);
void register_index_handlers(Router& router, cluster::Node& node);
void register_document_handlers(Router& router, cluster::Node& node);
void register_bulk_handlers(Router& router, cluster::Node& node);
void register_search_handlers(Router& router, cluster::Node& node);
void register_analyze_handlers(Router& router, cluster::Node& node);
void register_template_handlers(Router& router, cluster::Node& node);
void register_by_query_handlers(Router& router, cluster::Node& node);   // handlers_by_query.cpp
void register_validate_handlers(Router& router, cluster::Node& node);   // handlers_validate.cpp
void register_explain_handlers(Router& router, cluster::Node& node);    // handlers_explain.cpp
void register_pit_handlers(Router& router, cluster::Node& node);        // handlers_pit.cpp

inline void register_all_handlers(Router& router, cluster::Node& node, const ServerInfo& info) {
  register_cluster_handlers(router, node, info);
  register_index_handlers(router, node);
  register_document_handlers(router, node);
  register_bulk_handlers(router, node);
  register_search_handlers(router, node);
  register_analyze_handlers(router, node);
  register_template_handlers(router, node);
  register_by_query_handlers(router, node);
  register_validate_handlers(router, node);
  register_explain_handlers(router, node);
  register_pit_handlers(router, node);
}

}  // namespace sift::http
