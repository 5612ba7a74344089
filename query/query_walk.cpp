#include "query/query_walk.h"

#include "query/function_score.h"

namespace sift::query {

void for_each_subquery(Query& q, const std::function<void(Query&)>& visit) {
  auto each = [&](std::vector<std::unique_ptr<Query>>& list) {
    for (auto& c : list) {
      if (c) visit(*c);
    }
  };
  switch (q.kind) {
    case Query::Kind::kBool: {
      auto& b = static_cast<BoolQuery&>(q);
      each(b.must);
      each(b.filter);
      each(b.should);
      each(b.must_not);
      break;
    }
    case Query::Kind::kConstantScore: {
      auto& c = static_cast<ConstantScoreQuery&>(q);
      if (c.filter) visit(*c.filter);
      break;
    }
    case Query::Kind::kDisMax:
      each(static_cast<DisMaxQuery&>(q).queries);
      break;
    case Query::Kind::kFunctionScore: {
      auto& f = static_cast<FunctionScoreQuery&>(q);
      if (f.query) visit(*f.query);
      for (auto& fn : f.functions) {
        if (fn.filter) visit(*fn.filter);
      }
      break;
    }
    case Query::Kind::kBoosting: {
      auto& b = static_cast<BoostingQuery&>(q);
      if (b.positive) visit(*b.positive);
      if (b.negative) visit(*b.negative);
      break;
    }
    case Query::Kind::kNested: {
      auto& n = static_cast<NestedQuery&>(q);
      if (n.query) visit(*n.query);
      break;
    }
    default:
      break;  // leaves; query_string and simple_query_string bind to leaves per shard
  }
}

void for_each_subquery(const Query& q, const std::function<void(const Query&)>& visit) {
  for_each_subquery(const_cast<Query&>(q), [&](Query& c) { visit(c); });
}

}  // namespace sift::query
