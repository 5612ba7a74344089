// Templates: `_index_template` (composable), `_component_template`, legacy `_template`, the
// `_simulate_index` preview, and `_cat/templates`.
#include "cluster/index_names.h"
#include "http/cat_table.h"
#include "http/handlers.h"
#include "http/rest_util.h"

namespace sift::http {
namespace {

using Kind = cluster::Node::TemplateKind;

bool name_matches(const std::string& filter, const std::string& name) {
  if (filter.empty()) return true;
  for (const auto& f : split_csv(filter)) {
    if (f == name || cluster::wildcard_match(f, name)) return true;
  }
  return false;
}

bool is_pattern(const std::string& filter) { return filter.empty() || filter.find('*') != std::string::npos; }

RestResponse put(cluster::Node& node, RestRequest& req, Kind kind) {
  auto create = req.param_bool("create", false);
  if (!create.is_ok()) return error_response(create.status());
  Status st = node.put_template(kind, req.param("name"), req.body, *create);
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse remove(cluster::Node& node, RestRequest& req, Kind kind) {
  Status st = node.delete_templates(kind, req.param("name"));
  if (!st.is_ok()) return error_response(st);
  return acknowledged();
}

RestResponse get(cluster::Node& node, RestRequest& req, Kind kind, bool head) {
  auto state = node.state();
  const auto& t = state->templates;
  std::string filter = req.param("name");
  bool flat = req.param("flat_settings") == "true";
  JsonWriter w;
  size_t found = 0;
  w.begin_object();
  if (kind == Kind::kLegacy) {
    for (const auto& [n, tpl] : t.legacy) {
      if (!name_matches(filter, n)) continue;
      ++found;
      w.field_raw(n, cluster::legacy_template_to_json(tpl, flat));
    }
  } else {
    w.key(kind == Kind::kComposable ? "index_templates" : "component_templates").begin_array();
    auto add = [&](const std::string& n, const std::string& body) {
      ++found;
      w.begin_object().field("name", n).field_raw(kind == Kind::kComposable ? "index_template" : "component_template", body);
      w.end_object();
    };
    if (kind == Kind::kComposable) {
      for (const auto& [n, tpl] : t.composable) {
        if (name_matches(filter, n)) add(n, cluster::composable_template_to_json(tpl, flat));
      }
    } else {
      for (const auto& [n, tpl] : t.components) {
        if (name_matches(filter, n)) add(n, cluster::component_template_to_json(tpl, flat));
      }
    }
    w.end_array();
  }
  w.end_object();
  bool missing = found == 0 && !is_pattern(filter);
  if (head) return RestResponse{missing ? 404 : 200, "application/json; charset=UTF-8", "", {}};
  if (missing) {
    if (kind == Kind::kLegacy) return RestResponse::json(404, "{}");
    return error_response(Status(Code::kNotFound, "resource_not_found_exception",
                                 std::string(kind == Kind::kComposable ? "index template" : "component template") +
                                     " matching [" + filter + "] not found"));
  }
  return json_response(200, w);
}

RestResponse simulate_index(cluster::Node& node, RestRequest& req) {
  auto resolved = cluster::resolve_templates(node.state()->templates, req.param("name"));
  if (!resolved.is_ok()) return error_response(resolved.status());
  JsonWriter w;
  w.begin_object().key("template").begin_object();
  w.field_raw("settings", cluster::settings_to_json(resolved->settings, false));
  w.field_raw("mappings", resolved->mappings ? index::mapping_to_json(*resolved->mappings) : "{}");
  std::map<std::string, cluster::AliasMetadata> aliases;
  for (const auto& layer : resolved->aliases_json) {
    std::map<std::string, cluster::AliasMetadata> one;
    if (cluster::parse_aliases_body(layer, &one).is_ok()) {
      for (auto& [n, a] : one) aliases[n] = a;
    }
  }
  w.key("aliases").begin_object();
  for (const auto& [n, a] : aliases) w.field_raw(n, cluster::alias_to_json(a));
  w.end_object();
  w.end_object();
  w.key("overlapping").begin_array();
  for (const auto& [n, tpl] : node.state()->templates.composable) {
    if (n == resolved->matched) continue;
    for (const auto& p : tpl.index_patterns) {
      if (cluster::wildcard_match(p, req.param("name"))) {
        w.begin_object().field("name", n).key("index_patterns").begin_array();
        for (const auto& q : tpl.index_patterns) w.value(q);
        w.end_array().end_object();
        break;
      }
    }
  }
  w.end_array().end_object();
  return json_response(200, w);
}

RestResponse cat_templates(cluster::Node& node, RestRequest& req) {
  CatTable table({{"name", true, false, "n", "template name"},
                  {"index_patterns", true, false, "t", "template index patterns"},
                  {"order", true, true, "o,p", "template application order/priority number"},
                  {"version", true, false, "v", "version"},
                  {"composed_of", true, false, "c", "component templates comprising index template"}});
  auto state = node.state();
  std::string filter = req.param("name");
  auto list = [](const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s + "]";
  };
  for (const auto& [n, t] : state->templates.legacy) {
    if (!name_matches(filter, n)) continue;
    table.add_row({n, list(t.index_patterns), std::to_string(t.order), t.version ? std::to_string(*t.version) : "", ""});
  }
  for (const auto& [n, t] : state->templates.composable) {
    if (!name_matches(filter, n)) continue;
    table.add_row({n, list(t.index_patterns), std::to_string(t.priority.value_or(0)),
                   t.version ? std::to_string(*t.version) : "", list(t.composed_of)});
  }
  return table.render(req);
}

}  // namespace

void register_template_handlers(Router& router, cluster::Node& node) {
  struct Family {
    const char* prefix;
    Kind kind;
  };
  for (Family f : {Family{"/_index_template", Kind::kComposable}, Family{"/_component_template", Kind::kComponent},
                   Family{"/_template", Kind::kLegacy}}) {
    std::string named = std::string(f.prefix) + "/{name}";
    Kind kind = f.kind;
    router.add(Method::kPut, named, [&node, kind](RestRequest& r) { return put(node, r, kind); });
    router.add(Method::kPost, named, [&node, kind](RestRequest& r) { return put(node, r, kind); });
    router.add(Method::kDelete, named, [&node, kind](RestRequest& r) { return remove(node, r, kind); });
    router.add(Method::kGet, named, [&node, kind](RestRequest& r) { return get(node, r, kind, false); });
    router.add(Method::kHead, named, [&node, kind](RestRequest& r) { return get(node, r, kind, true); });
    router.add(Method::kGet, f.prefix, [&node, kind](RestRequest& r) { return get(node, r, kind, false); });
  }
  router.add(Method::kPost, "/_index_template/_simulate_index/{name}",
             [&node](RestRequest& r) { return simulate_index(node, r); });
  router.add(Method::kGet, "/_cat/templates", [&node](RestRequest& r) { return cat_templates(node, r); });
  router.add(Method::kGet, "/_cat/templates/{name}", [&node](RestRequest& r) { return cat_templates(node, r); });
}

}  // namespace sift::http
