// Rendering of document-operation results shared by the single-document APIs and `_bulk`:
// the write result object ({_index,_id,_version,result,_shards,_seq_no,_primary_term}), its HTTP
// status, and get results. Also the parsing of write parameters common to both.
#pragma once

#include <string>

#include "cluster/index_service.h"
#include "cluster/node.h"
#include "common/json_writer.h"
#include "http/rest.h"
#include "query/search_request.h"

namespace sift::http {

const char* outcome_name(const cluster::DocWriteResponse& r);
int outcome_status(const cluster::DocWriteResponse& r);
// Writes the members of a write result (without the enclosing braces).
void write_doc_result_fields(JsonWriter& w, const cluster::DocWriteResponse& r, const cluster::IndexMetadata& meta,
                             bool forced_refresh);
// Writes a get result object for a found or missing document.
void write_get_result(JsonWriter& w, const std::string& index, const std::string& id,
                      const index::StoredDocument* doc, const std::string* filtered_source);

// The body of `_update` and of a `_bulk` update line: doc, upsert, doc_as_upsert, detect_noop,
// script (refused later), and `_source` (true/false, patterns or includes/excludes), which sets
// `source` to what the answer's `get` shows. Unknown keys get OpenSearch's "did you mean" error.
Status parse_update_body(std::string_view body, cluster::UpdateRequest* u, query::SourceFilter* source);
// The "get" object of an update answer: the new source, filtered.
void write_update_get(JsonWriter& w, const cluster::DocWriteResponse& r, const query::SourceFilter& source);

// op_type, if_seq_no/if_primary_term, version/version_type from query parameters into `w`.
Status apply_write_params(const RestRequest& req, cluster::DocWriteRequest* w);

}  // namespace sift::http

namespace sift::http {
enum class RefreshPolicy;
// Makes a write visible per `?refresh`: refresh the shard now, or wait for the scheduled refresh.
Status apply_refresh(cluster::IndexService& svc, int shard, int64_t seq_no, RefreshPolicy policy);
}  // namespace sift::http
