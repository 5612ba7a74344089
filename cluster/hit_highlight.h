// The `highlight` object of search hits: the fields `highlight.fields` names (wildcards expanded
// over one index's mapping), their values read from each hit's `_source`, and the fragments
// query/highlight.h marks. Prepared once per index for a search, used for each fetched hit.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cluster/index_metadata.h"
#include "common/status.h"
#include "query/highlight.h"
#include "query/search_request.h"

namespace sift::cluster {

class HitHighlighter {
 public:
  // `req.highlight` must be set; `meta` outlives this object.
  HitHighlighter(const query::SearchRequest& req, const IndexMetadata& meta);

  // Members of the hit's "highlight" object as JSON text ("{...}"), or "" when no field has a
  // fragment. illegal_argument_exception for options OpenSearch refuses (unknown type, too long a
  // field to re-analyze, ...).
  Result<std::string> render(const std::string& doc_id, const std::string& source);

 private:
  struct Target {
    const index::ResolvedField* field;
    query::ResolvedHighlight options;
  };
  const std::vector<query::HighlightClause>& clauses_for(const query::Query* query);

  const query::SearchRequest& req_;
  const IndexMetadata& meta_;
  std::vector<Target> targets_;
  query::HighlightDocContext doc_;
  std::map<const query::Query*, std::vector<query::HighlightClause>> clauses_;
};

}  // namespace sift::cluster
