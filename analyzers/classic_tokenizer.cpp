// The `classic` tokenizer: Lucene 8.7's ClassicTokenizer, the pre-UAX#29 grammar (JFlex, Unicode
// 3.0) that types words, apostrophes, acronyms, company names, e-mail addresses, host names and
// numbers. Its rules compile into one DFA (code_point_automaton.h); as JFlex, each token is the
// longest match from the scanner's position, ties going to the earlier rule, and a character no
// rule starts with is skipped. A token longer than max_token_length is dropped, its position left
// unused. Oracle: bench/lucene_oracles/TokenizerCheck.java (tests/unit/analyzers/tokenizer_cases.inc).
#include <string>

#include "analyzers/code_point_automaton.h"
#include "analyzers/registry.h"
#include "analyzers/scanner_tokenizers.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

#include "analyzers/jflex_tables.inc"

// Lucene's ClassicTokenizer.TOKEN_TYPES, in the grammar's rule order.
constexpr const char* kTypes[] = {"<ALPHANUM>", "<APOSTROPHE>", "<ACRONYM>", "<COMPANY>", "<EMAIL>",
                                  "<HOST>",     "<NUM>",        "<CJ>",      "<ACRONYM_DEP>"};
constexpr int kAcronymDep = 8;

std::vector<ReP> classic_rules() {
  const ReP letter = re_set(CodePointSet(std::begin(kClassicLetters), std::end(kClassicLetters)));
  const CodePointSet digits(std::begin(kClassicDigits), std::end(kClassicDigits));
  const ReP digit = re_set(digits);
  const ReP thai = re_set({{0x0E00, 0x0E59}});
  const ReP cj = re_set({{0x3100, 0x312f}, {0x3040, 0x309F}, {0x30A0, 0x30FF}, {0x31F0, 0x31FF}, {0x3300, 0x337f},
                         {0x3400, 0x4dbf}, {0x4e00, 0x9fff}, {0xf900, 0xfaff}, {0xff65, 0xff9f}});
  auto alphanum = [&] { return re_plus(re_alt({letter, thai, digit})); };
  auto alpha = [&] { return re_plus(letter); };
  auto has_digit = [&] {
    return re_cat({re_star(re_alt({letter, digit})), digit, re_star(re_alt({letter, digit}))});
  };
  const ReP p = re_set({{'_', '_'}, {'-', '-'}, {'/', '/'}, {'.', '.'}, {',', ','}});
  const ReP dot = re_char('.');
  std::vector<ReP> rules;
  rules.push_back(alphanum());
  rules.push_back(re_cat({alpha(), re_plus(re_cat({re_char('\''), alpha()}))}));
  rules.push_back(re_cat({letter, dot, re_plus(re_cat({letter, dot}))}));
  rules.push_back(re_cat({alpha(), re_set({{'&', '&'}, {'@', '@'}}), alpha()}));
  rules.push_back(re_cat({alphanum(), re_star(re_cat({re_set({{'.', '.'}, {'-', '-'}, {'_', '_'}}), alphanum()})),
                          re_char('@'), alphanum(), re_plus(re_cat({re_set({{'.', '.'}, {'-', '-'}}), alphanum()}))}));
  rules.push_back(re_cat({alphanum(), re_plus(re_cat({dot, alphanum()}))}));
  rules.push_back(re_alt({
      re_cat({alphanum(), p, has_digit()}),
      re_cat({has_digit(), p, alphanum()}),
      re_cat({alphanum(), re_plus(re_cat({p, has_digit(), p, alphanum()}))}),
      re_cat({has_digit(), re_plus(re_cat({p, alphanum(), p, has_digit()}))}),
      re_cat({alphanum(), p, has_digit(), re_plus(re_cat({p, alphanum(), p, has_digit()}))}),
      re_cat({has_digit(), p, alphanum(), re_plus(re_cat({p, has_digit(), p, alphanum()}))}),
  }));
  rules.push_back(cj);
  rules.push_back(re_cat({alphanum(), dot, re_plus(re_cat({alphanum(), dot}))}));
  return rules;
}

const Dfa& classic_dfa() {
  static const Dfa dfa = [] {
    auto d = Dfa::build(classic_rules(), 1u << 20);
    SIFT_ASSERT(d.is_ok());
    return std::move(d).value();
  }();
  return dfa;
}

class ClassicTokenizer final : public Tokenizer {
 public:
  explicit ClassicTokenizer(int32_t max_len) : max_len_(max_len) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    const Dfa& dfa = classic_dfa();
    uint32_t position = 0;
    size_t p = 0;
    while (p < text.size()) {
      int32_t state = dfa.start();
      size_t i = p, best = p;
      uint32_t best_rules = 0;
      while (i < text.size() && state != Dfa::kDead) {
        size_t next;
        state = dfa.step(state, decode_code_point(text, i, &next));
        i = next;
        if (uint32_t a = dfa.accepts(state)) {
          best = i;
          best_rules = a;
        }
      }
      if (best_rules == 0) {  // `. | \r\n | [ \r\n\t\f]`: skipped
        if (text[p] == u'\r' && p + 1 < text.size() && text[p + 1] == u'\n') {
          p += 2;
        } else {
          decode_code_point(text, p, &p);
        }
        continue;
      }
      const int rule = __builtin_ctz(best_rules);
      if (best - p > static_cast<size_t>(max_len_)) {
        ++position;  // too long: dropped, its position stays used
        p = best;
        continue;
      }
      Token t;
      // ACRONYM_DEP ("www.example.com.") becomes a <HOST> without its final dot; the offsets keep it.
      const size_t term_end = rule == kAcronymDep ? best - 1 : best;
      to_utf8(text.substr(p, term_end - p), &t.term);
      t.start_offset = static_cast<uint32_t>(p);
      t.end_offset = static_cast<uint32_t>(best);
      t.position = position++;
      t.type = rule == kAcronymDep ? "<HOST>" : kTypes[rule];
      out->tokens.push_back(std::move(t));
      p = best;
    }
    out->end_position = position;
  }

 private:
  int32_t max_len_;
};

}  // namespace

void register_classic_tokenizer(ComponentTypes* types) {
  types->tokenizers["classic"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Tokenizer>> {
    SIFT_ASSIGN_OR_RETURN(int64_t n, s.get_int("max_token_length", 255));
    if (n < 1) return invalid_argument("maxTokenLength must be greater than zero");
    (void)classic_dfa();
    return std::shared_ptr<const Tokenizer>(std::make_shared<ClassicTokenizer>(static_cast<int32_t>(n)));
  };
}

}  // namespace sift::analysis
