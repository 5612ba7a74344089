// Parsing of alias definitions in create-index bodies, PUT _alias and POST _aliases.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cluster/node.h"

namespace sift::cluster {
namespace {

using Value = rapidjson::Value;

Status bad(std::string reason) { return Status(Code::kInvalidArgument, "illegal_argument_exception", std::move(reason)); }

Status parse_doc(std::string_view json, rapidjson::Document* d) {
  d->Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (d->HasParseError()) {
    return Status(Code::kParseError, "parse_exception",
                  std::string("failed to parse aliases: ") + rapidjson::GetParseError_En(d->GetParseError()));
  }
  if (!d->IsObject()) return Status(Code::kParseError, "parse_exception", "aliases must be an object");
  return Status::ok();
}

std::string to_json(const Value& v) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return buf.GetString();
}

std::string scalar_text(const Value& v) {
  if (v.IsString()) return v.GetString();
  return to_json(v);
}

// Reads alias fields from `o`; unknown keys are left for the caller (`handled` false).
Status read_alias_field(const std::string& key, const Value& v, AliasMetadata* a, bool* handled) {
  *handled = true;
  if (key == "filter") {
    if (!v.IsObject()) return bad("[filter] must be an object");
    a->filter_json = to_json(v);
  } else if (key == "routing") {
    // The specific index_routing / search_routing win whatever their order in the body.
    std::string r = scalar_text(v);
    if (!a->index_routing_set) a->index_routing = r;
    if (!a->search_routing_set) a->search_routing = r;
  } else if (key == "index_routing") {
    a->index_routing = scalar_text(v);
    a->index_routing_set = true;
  } else if (key == "search_routing") {
    a->search_routing = scalar_text(v);
    a->search_routing_set = true;
  } else if (key == "is_write_index") {
    if (!v.IsBool()) return bad("[is_write_index] must be a boolean");
    a->is_write_index = v.GetBool();
  } else if (key == "is_hidden") {
    if (!v.IsBool()) return bad("[is_hidden] must be a boolean");
    a->is_hidden = v.GetBool();
  } else {
    *handled = false;
  }
  return Status::ok();
}

Status string_list(const Value& v, std::vector<std::string>* out, const char* what) {
  if (v.IsString()) {
    std::string all = v.GetString();
    size_t start = 0;
    while (start <= all.size()) {
      size_t comma = all.find(',', start);
      std::string part = all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!part.empty()) out->push_back(part);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  } else if (v.IsArray()) {
    for (auto& e : v.GetArray()) {
      if (!e.IsString()) return bad(std::string("[") + what + "] must be strings");
      out->push_back(e.GetString());
    }
  } else {
    return bad(std::string("[") + what + "] must be a string or an array of strings");
  }
  return Status::ok();
}

}  // namespace

Status parse_aliases_body(std::string_view json, std::map<std::string, AliasMetadata>* out) {
  rapidjson::Document d;
  SIFT_RETURN_IF_ERROR(parse_doc(json, &d));
  for (auto& m : d.GetObject()) {
    AliasMetadata a;
    if (!m.value.IsObject()) return bad("alias [" + std::string(m.name.GetString()) + "] must be an object");
    for (auto& f : m.value.GetObject()) {
      bool handled;
      SIFT_RETURN_IF_ERROR(read_alias_field(f.name.GetString(), f.value, &a, &handled));
      if (!handled) return bad("Unsupported field [" + std::string(f.name.GetString()) + "]");
    }
    (*out)[m.name.GetString()] = std::move(a);
  }
  return Status::ok();
}

Result<AliasMetadata> parse_alias_body(std::string_view json, std::vector<std::string>* indices,
                                       std::vector<std::string>* aliases) {
  AliasMetadata a;
  if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return a;
  rapidjson::Document d;
  SIFT_RETURN_IF_ERROR(parse_doc(json, &d));
  for (auto& f : d.GetObject()) {
    std::string key = f.name.GetString();
    if (key == "index" || key == "indices") {
      indices->clear();
      SIFT_RETURN_IF_ERROR(string_list(f.value, indices, key.c_str()));
      continue;
    }
    if (key == "alias" || key == "aliases" || key == "name") {
      aliases->clear();
      SIFT_RETURN_IF_ERROR(string_list(f.value, aliases, key.c_str()));
      continue;
    }
    bool handled;
    SIFT_RETURN_IF_ERROR(read_alias_field(key, f.value, &a, &handled));
    if (!handled) return bad("Unsupported field [" + key + "]");
  }
  return a;
}

Result<std::vector<AliasAction>> parse_alias_actions(std::string_view json) {
  rapidjson::Document d;
  SIFT_RETURN_IF_ERROR(parse_doc(json, &d));
  auto it = d.FindMember("actions");
  if (it == d.MemberEnd() || !it->value.IsArray()) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: no actions specified;");
  }
  if (it->value.Empty()) {
    return Status(Code::kInvalidArgument, "action_request_validation_exception",
                  "Validation Failed: 1: Must specify at least one alias action;");
  }
  std::vector<AliasAction> actions;
  for (auto& entry : it->value.GetArray()) {
    if (!entry.IsObject() || entry.MemberCount() != 1) return bad("an alias action must be an object with one key");
    const auto& m = *entry.MemberBegin();
    std::string type = m.name.GetString();
    AliasAction a;
    if (type == "add") a.type = AliasAction::Type::kAdd;
    else if (type == "remove") a.type = AliasAction::Type::kRemove;
    else if (type == "remove_index") a.type = AliasAction::Type::kRemoveIndex;
    else return bad("Unknown alias action [" + type + "]");
    if (!m.value.IsObject()) return bad("[" + type + "] must be an object");
    for (auto& f : m.value.GetObject()) {
      std::string key = f.name.GetString();
      if (key == "index" || key == "indices") {
        SIFT_RETURN_IF_ERROR(string_list(f.value, &a.indices, key.c_str()));
      } else if (key == "alias" || key == "aliases") {
        SIFT_RETURN_IF_ERROR(string_list(f.value, &a.aliases, key.c_str()));
      } else if (key == "must_exist") {
        a.must_exist = f.value.IsBool() && f.value.GetBool();
      } else {
        bool handled;
        SIFT_RETURN_IF_ERROR(read_alias_field(key, f.value, &a.alias, &handled));
        if (!handled) return bad("[" + type + "] unknown field [" + key + "]");
      }
    }
    if (a.indices.empty()) {
      return Status(Code::kInvalidArgument, "action_request_validation_exception",
                    "Validation Failed: 1: One of [index] or [indices] is required;");
    }
    if (a.type != AliasAction::Type::kRemoveIndex && a.aliases.empty()) {
      return Status(Code::kInvalidArgument, "action_request_validation_exception",
                    "Validation Failed: 1: One of [alias] or [aliases] is required;");
    }
    actions.push_back(std::move(a));
  }
  return actions;
}

}  // namespace sift::cluster
