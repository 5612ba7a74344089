#include "cluster/settings.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <vector>

#include "common/json_writer.h"

namespace sift::cluster {
namespace {

Status flatten(const rapidjson::Value& v, const std::string& prefix, Settings* out) {
  if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      std::string key = prefix.empty() ? m.name.GetString() : prefix + "." + m.name.GetString();
      SIFT_RETURN_IF_ERROR(flatten(m.value, key, out));
    }
    return Status::ok();
  }
  if (prefix.empty()) return Status(Code::kParseError, "settings_exception", "settings must be an object");
  if (v.IsString()) {
    (*out)[prefix] = std::string(v.GetString(), v.GetStringLength());
  } else if (v.IsBool()) {
    (*out)[prefix] = v.GetBool() ? "true" : "false";
  } else if (v.IsNull()) {
    (*out)[prefix] = "\x01null";  // a reset to the default (PUT _settings with null)
  } else if (v.IsArray()) {
    int i = 0;
    for (auto& e : v.GetArray()) SIFT_RETURN_IF_ERROR(flatten(e, prefix + "." + std::to_string(i++), out));
  } else {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
    (*out)[prefix] = buf.GetString();
  }
  return Status::ok();
}

void render_nested(JsonWriter& w, Settings::const_iterator begin, Settings::const_iterator end, size_t depth_offset) {
  // Keys in [begin, end) share the first `depth_offset` characters; group them by the next part.
  w.begin_object();
  auto it = begin;
  while (it != end) {
    std::string_view rest = std::string_view(it->first).substr(depth_offset);
    size_t dot = rest.find('.');
    std::string head(rest.substr(0, dot));
    if (dot == std::string_view::npos) {
      w.key(head).value(it->second);
      ++it;
      continue;
    }
    auto group_end = it;
    std::string group_prefix = it->first.substr(0, depth_offset + head.size() + 1);
    while (group_end != end && group_end->first.compare(0, group_prefix.size(), group_prefix) == 0) ++group_end;
    w.key(head);
    render_nested(w, it, group_end, group_prefix.size());
    it = group_end;
  }
  w.end_object();
}

}  // namespace

Result<Settings> parse_settings(std::string_view json, bool prefix_index) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    return Status(Code::kParseError, "parse_exception",
                  std::string("failed to parse settings: ") + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  Settings flat;
  SIFT_RETURN_IF_ERROR(flatten(doc, "", &flat));
  if (!prefix_index) return flat;
  Settings out;
  for (auto& [k, v] : flat) out[k.rfind("index.", 0) == 0 ? k : "index." + k] = v;
  return out;
}

std::string settings_to_json(const Settings& settings, bool flat) {
  JsonWriter w;
  if (flat) {
    w.begin_object();
    for (const auto& [k, v] : settings) w.key(k).value(v);
    w.end_object();
    return w.take();
  }
  render_nested(w, settings.begin(), settings.end(), 0);
  return w.take();
}

Result<int64_t> parse_time_millis(std::string_view text, std::string_view name) {
  if (text == "-1") return -1;
  auto bad = [&] {
    return Status(Code::kInvalidArgument, "illegal_argument_exception",
                  "failed to parse setting [" + std::string(name) + "] with value [" + std::string(text) +
                      "] as a time value: unit is missing or unrecognized");
  };
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  if (i == 0) return bad();
  double num;
  try {
    num = std::stod(std::string(text.substr(0, i)));
  } catch (...) {
    return bad();
  }
  std::string_view unit = text.substr(i);
  double mult;
  if (unit == "nanos") mult = 1e-6;
  else if (unit == "micros") mult = 1e-3;
  else if (unit == "ms") mult = 1;
  else if (unit == "s") mult = 1000;
  else if (unit == "m") mult = 60'000;
  else if (unit == "h") mult = 3'600'000;
  else if (unit == "d") mult = 86'400'000;
  else if (unit.empty() && num == 0) mult = 0;
  else return bad();
  return static_cast<int64_t>(num * mult);
}

Result<int64_t> parse_int_setting(const Settings& s, const std::string& key, int64_t fallback) {
  auto it = s.find(key);
  if (it == s.end()) return fallback;
  try {
    size_t used = 0;
    long long v = std::stoll(it->second, &used);
    if (used == it->second.size()) return static_cast<int64_t>(v);
  } catch (...) {
  }
  return invalid_argument("Failed to parse value [" + it->second + "] for setting [" + key + "]");
}

Result<bool> parse_bool_setting(const Settings& s, const std::string& key, bool fallback) {
  auto it = s.find(key);
  if (it == s.end()) return fallback;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  return invalid_argument("Failed to parse value [" + it->second + "] as only [true] or [false] are allowed.");
}

Result<int64_t> parse_bytes(std::string_view text, std::string_view name) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
  auto bad = [&] {
    return invalid_argument("failed to parse setting [" + std::string(name) + "] with value [" + std::string(text) +
                            "] as a size in bytes");
  };
  if (i == 0) return bad();
  double num = std::stod(std::string(text.substr(0, i)));
  std::string unit(text.substr(i));
  for (auto& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  double mult;
  if (unit.empty() || unit == "b") mult = 1;
  else if (unit == "kb" || unit == "k") mult = 1024.0;
  else if (unit == "mb" || unit == "m") mult = 1024.0 * 1024;
  else if (unit == "gb" || unit == "g") mult = 1024.0 * 1024 * 1024;
  else if (unit == "tb" || unit == "t") mult = 1024.0 * 1024 * 1024 * 1024;
  else return bad();
  return static_cast<int64_t>(num * mult);
}

}  // namespace sift::cluster
