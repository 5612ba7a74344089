// Registration of the tokenizers that scan with code_point_automaton.h or ICU break iterators:
// classic (classic_tokenizer.cpp), uax_url_email (url_email_tokenizer.cpp), thai
// (thai_tokenizer.cpp), simple_pattern and simple_pattern_split (simple_pattern_tokenizers.cpp).
#pragma once

#include "analyzers/registry.h"

namespace sift::analysis {

void register_classic_tokenizer(ComponentTypes* types);
void register_url_email_tokenizer(ComponentTypes* types);
void register_thai_tokenizer(ComponentTypes* types);
void register_simple_pattern_tokenizers(ComponentTypes* types);

inline void register_scanner_tokenizers(ComponentTypes* types) {
  register_classic_tokenizer(types);
  register_url_email_tokenizer(types);
  register_thai_tokenizer(types);
  register_simple_pattern_tokenizers(types);
}

}  // namespace sift::analysis
