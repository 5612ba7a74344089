#include "cluster/json_merge.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace sift::cluster {
namespace {

constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                            rapidjson::kParseFullPrecisionFlag;

Status parse(std::string_view json, rapidjson::Document* doc, std::string_view what) {
  doc->Parse<kFlags>(json.data(), json.size());
  if (doc->HasParseError()) {
    return Status(Code::kParseError, "mapper_parsing_exception",
                  "failed to parse " + std::string(what) + ": " + rapidjson::GetParseError_En(doc->GetParseError()));
  }
  if (!doc->IsObject()) {
    return Status(Code::kParseError, "mapper_parsing_exception", "failed to parse " + std::string(what) + ": not an object");
  }
  return Status::ok();
}

bool merge(rapidjson::Value& base, const rapidjson::Value& patch, rapidjson::Document::AllocatorType& alloc) {
  bool changed = false;
  for (auto& m : patch.GetObject()) {
    auto it = base.FindMember(m.name);
    if (it == base.MemberEnd()) {
      rapidjson::Value key(m.name, alloc);
      rapidjson::Value val(m.value, alloc);
      base.AddMember(key, val, alloc);
      changed = true;
    } else if (it->value.IsObject() && m.value.IsObject()) {
      changed |= merge(it->value, m.value, alloc);
    } else if (it->value != m.value) {
      it->value.CopyFrom(m.value, alloc);
      changed = true;
    }
  }
  return changed;
}

}  // namespace

Result<std::string> merge_json_objects(std::string_view base, std::string_view patch, bool* changed) {
  rapidjson::Document b, p;
  SIFT_RETURN_IF_ERROR(parse(base, &b, "source"));
  SIFT_RETURN_IF_ERROR(parse(patch, &p, "doc"));
  *changed = merge(b, p, b.GetAllocator());
  if (!*changed) return std::string(base);
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  b.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

Status check_json_object(std::string_view json, std::string_view what) {
  rapidjson::Document d;
  return parse(json, &d, what);
}

}  // namespace sift::cluster
