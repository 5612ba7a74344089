// Index and alias names: OpenSearch's validation rules, wildcard matching, and random ids
// (index uuids, auto-generated document ids).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace sift::cluster {

// invalid_index_name_exception (400) for names OpenSearch rejects: upper case, leading - _ +,
// '.' or '..', forbidden characters (\ / * ? " < > | space , #), longer than 255 bytes, or ':'.
Status validate_index_name(std::string_view name);
// `*` wildcards only, as index expressions use them.
bool wildcard_match(std::string_view pattern, std::string_view text);
// 22 characters of URL-safe base64 from 16 random bytes, like OpenSearch's UUIDs.
std::string random_uuid();
// A time-ordered, 20-character URL-safe id for documents indexed without one.
std::string auto_document_id();

}  // namespace sift::cluster
