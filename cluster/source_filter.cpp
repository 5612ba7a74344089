#include "cluster/source_filter.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cluster/index_names.h"

namespace sift::cluster {
namespace {

using Value = rapidjson::Value;

bool matches_any(const std::vector<std::string>& patterns, const std::string& path) {
  for (const auto& p : patterns) {
    if (wildcard_match(p, path)) return true;
  }
  return false;
}

// True when some include pattern could match a descendant of `path`.
bool may_include_below(const std::vector<std::string>& includes, const std::string& path) {
  for (const auto& p : includes) {
    if (p.size() > path.size() && (p.compare(0, path.size() + 1, path + ".") == 0)) return true;
    if (p.find('*') != std::string::npos && wildcard_match(p.substr(0, p.find('*')) + "*", path + ".")) return true;
  }
  return false;
}

// Filters `v` in place; `included` says an ancestor already matched an include pattern.
bool filter(Value& v, const std::string& path, bool included, const std::vector<std::string>& inc,
            const std::vector<std::string>& exc, rapidjson::Document::AllocatorType& alloc) {
  if (v.IsObject()) {
    Value out(rapidjson::kObjectType);
    for (auto& m : v.GetObject()) {
      std::string child = path.empty() ? m.name.GetString() : path + "." + m.name.GetString();
      if (matches_any(exc, child)) continue;
      bool child_included = included || inc.empty() || matches_any(inc, child);
      if (!child_included && !m.value.IsObject() && !m.value.IsArray()) continue;
      if (!child_included && !may_include_below(inc, child) && !m.value.IsArray()) continue;
      Value copy(m.value, alloc);
      if (filter(copy, child, child_included, inc, exc, alloc) || child_included) {
        out.AddMember(Value(m.name, alloc), copy, alloc);
      }
    }
    bool keep = out.MemberCount() > 0;
    v = std::move(out);
    return keep;
  }
  if (v.IsArray()) {
    Value out(rapidjson::kArrayType);
    for (auto& e : v.GetArray()) {
      Value copy(e, alloc);
      if (copy.IsObject() || copy.IsArray()) {
        if (filter(copy, path, included, inc, exc, alloc)) out.PushBack(copy, alloc);
      } else if (included) {
        out.PushBack(copy, alloc);
      }
    }
    bool keep = !out.Empty() || included;
    v = std::move(out);
    return keep;
  }
  return included;
}

}  // namespace

Result<std::string> filter_source(std::string_view source, const std::vector<std::string>& includes,
                                  const std::vector<std::string>& excludes) {
  if (includes.empty() && excludes.empty()) return std::string(source);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag>(source.data(), source.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::string(source);
  filter(doc, "", false, includes, excludes, doc.GetAllocator());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  doc.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace sift::cluster

namespace sift::cluster {
namespace {

enum class ValueText { kJson, kText };

void collect(const rapidjson::Value& v, std::string_view rest, ValueText as, std::vector<std::string>* out) {
  if (v.IsArray()) {
    for (auto& e : v.GetArray()) collect(e, rest, as, out);
    return;
  }
  if (rest.empty()) {
    if (v.IsNull() || (as == ValueText::kText && v.IsObject())) return;
    if (as == ValueText::kText && v.IsString()) {
      out->emplace_back(v.GetString(), v.GetStringLength());
      return;
    }
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    out->emplace_back(buf.GetString(), buf.GetSize());
    return;
  }
  if (!v.IsObject()) return;
  // Try the longest key first so dotted keys ("a.b": 1) work as well as nested objects.
  for (size_t dot = rest.size();; dot = rest.rfind('.', dot - 1)) {
    std::string key(rest.substr(0, dot));
    auto it = v.FindMember(rapidjson::Value(key.c_str(), static_cast<rapidjson::SizeType>(key.size())));
    if (it != v.MemberEnd()) {
      collect(it->value, dot == rest.size() ? std::string_view() : rest.substr(dot + 1), as, out);
    }
    if (dot == std::string_view::npos || dot == 0) break;
    if (rest.rfind('.', dot - 1) == std::string_view::npos) break;
  }
}

}  // namespace

struct SourceValues::Impl {
  rapidjson::Document doc;
  bool ok = false;
};

SourceValues::SourceValues(std::string_view source) : impl_(std::make_unique<Impl>()) {
  impl_->doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag>(source.data(), source.size());
  impl_->ok = !impl_->doc.HasParseError() && impl_->doc.IsObject();
}

SourceValues::~SourceValues() = default;

std::vector<std::string> SourceValues::json(std::string_view path) const {
  std::vector<std::string> out;
  if (impl_->ok) collect(impl_->doc, path, ValueText::kJson, &out);
  return out;
}

std::vector<std::string> SourceValues::text(std::string_view path) const {
  std::vector<std::string> out;
  if (impl_->ok) collect(impl_->doc, path, ValueText::kText, &out);
  return out;
}

std::vector<std::string> extract_values(std::string_view source, std::string_view path) {
  return SourceValues(source).json(path);
}

}  // namespace sift::cluster
