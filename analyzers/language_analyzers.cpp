// Registered analysis types (registry.h). Filled in by the analysis issue's work.
#include "analyzers/registry.h"

namespace sift::analysis {

void register_language_analyzers(ComponentTypes* types) { (void)types; }

}  // namespace sift::analysis
