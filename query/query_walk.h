// The shape of the Query tree for passes that visit every clause: the direct sub-queries of a
// node (bool clauses, constant_score's filter, dis_max's queries, function_score's query and
// function filters, boosting's positive and negative). A new compound query adds its children
// here so coordinator passes (terms lookups, limits) reach inside it.
#pragma once

#include <functional>

#include "query/query.h"

namespace sift::query {

void for_each_subquery(Query& q, const std::function<void(Query&)>& visit);
void for_each_subquery(const Query& q, const std::function<void(const Query&)>& visit);

}  // namespace sift::query
