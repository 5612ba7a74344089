#include "http/uri_query.h"

#include <cctype>

#include "http/rest_util.h"
#include "query/dsl_parser.h"
#include "query/query_string.h"

namespace sift::http {

Result<std::unique_ptr<query::Query>> uri_query(const RestRequest& req) {
  if (!req.has_param("q")) return std::unique_ptr<query::Query>();
  auto q = std::make_unique<query::QueryStringQuery>();
  q->query = req.param("q");
  if (req.has_param("df")) q->fields = {{req.param("df"), 1.0f}};
  std::string op = req.param("default_operator");
  for (auto& c : op) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!op.empty() && op != "AND" && op != "OR") return invalid_argument("Unsupported default_operator [" + op + "]");
  q->and_default = op == "AND";
  q->analyzer = req.param("analyzer");
  q->lenient = req.param("lenient") == "true";
  q->analyze_wildcard = req.param("analyze_wildcard") == "true";
  SIFT_ASSIGN_OR_RETURN(q->root, query::parse_query_string(q->query));
  return std::unique_ptr<query::Query>(std::move(q));
}

Result<std::unique_ptr<query::Query>> body_or_uri_query(const RestRequest& req) {
  SIFT_ASSIGN_OR_RETURN(auto members, json_members(req.body));
  std::unique_ptr<query::Query> q;
  for (const auto& [key, raw] : members) {
    if (key != "query") return Status(Code::kParseError, "parsing_exception", "request does not support [" + key + "]");
    SIFT_ASSIGN_OR_RETURN(q, query::parse_query(raw));
  }
  if (members.empty()) return uri_query(req);
  return q;
}

}  // namespace sift::http
