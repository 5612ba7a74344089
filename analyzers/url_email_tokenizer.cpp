// The `uax_url_email` tokenizer: Lucene 8.7's UAX29URLEmailTokenizer, the `standard` tokenizer's
// UAX#29 words plus <URL> and <EMAIL> tokens (RFC 3986 / 5321 / 5322 syntax, host names ending in
// one of the 1541 top-level domains Lucene 8.7's grammar was generated with: jflex_tables.inc).
//
// Lucene's scanner runs all rules at once and takes the longest match, ties going to the URL and
// e-mail rules (they come first). Here the URL and e-mail rules are one DFA (code_point_automaton.h)
// run at each scanner position, the word rules are the standard tokenizer's segmentation; where a URL
// or e-mail wins, the segmentation continues after it (recomputed when it does not end at one of the
// segmentation's own boundaries). Lucene's scanner state AVOID_BAD_URL is kept: a host name followed
// by a letter, digit, `_` or `-` ("example.comx") is no URL, and until the next token the bare host
// rules stay off. max_token_length is the scanner's buffer: no match looks further than that from
// its start (a longer URL is cut at the longest match that fits).
#include <algorithm>
#include <map>
#include <string>

#include "analyzers/code_point_automaton.h"
#include "analyzers/registry.h"
#include "analyzers/scanner_tokenizers.h"
#include "analyzers/standard_tokenizer.h"
#include "analyzers/utf.h"

namespace sift::analysis {
namespace {

#include "analyzers/jflex_tables.inc"

// The rules, in the grammar's order (bit i of Dfa::accepts; each family is its own DFA, so their
// states do not multiply). The bare host rules come in three groups by top-level domain, as Lucene's
// grammar splits them (LUCENE-8278): the TLDs that are the prefix of a TLD one character longer
// (group 1), two characters longer via a group-1 TLD (group 2), and the rest (group 0). A host with
// a word character after it is the earlier rule of its group, and group 0 comes first, so "a.com"
// at the end of the text is a <URL> although "a.co" followed by "m" also matches.
enum Rule : int {
  kUrl = 0,             // {URL}
  kHostThenOther = 1,   // {URIhostStrict} / [^-\w]: a URL, the trailing character pushed back
  kHostThenWord0 = 2,   // {URIhostStrict_NoTLDprefix} / [-\w]: switch to AVOID_BAD_URL, scan again
  kHost0 = 3,           // {URIhostStrict_NoTLDprefix} (at the end of the text): a URL
  kHostThenWord1 = 4,   // the same for the TLDs of group 1
  kHost1 = 5,
  kHostThenWord2 = 6,   // and of group 2
  kHost2 = 7,
  kMailto = 8,          // "mailto" / ":" {EMAIL}: the word "mailto" alone
  kEmail = 9,           // {EMAIL}
};
constexpr uint32_t kBareHostRules = 0xFCu;  // rules 2-7, off in AVOID_BAD_URL
constexpr uint32_t kHostThenWordRules = (1u << kHostThenWord0) | (1u << kHostThenWord1) | (1u << kHostThenWord2);

// Lucene's GenerateJflexTLDMacros partition: TLDs longest first; an unassigned one is group 0, and
// its prefixes that are TLDs, while they are unassigned, take the group of their suffix length.
std::vector<std::vector<std::string>> tld_groups() {
  std::vector<std::string> tlds(std::begin(kUrlTlds), std::end(kUrlTlds));
  std::sort(tlds.begin(), tlds.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  std::map<std::string, int> group;
  for (const std::string& t : tlds) group[t] = -1;
  std::vector<std::vector<std::string>> out(3);
  for (const std::string& t : tlds) {
    if (group[t] >= 0) continue;
    group[t] = 0;
    for (size_t suffix = 1; t.size() - suffix >= 2; ++suffix) {
      auto it = group.find(t.substr(0, t.size() - suffix));
      if (it == group.end() || it->second >= 0) break;
      it->second = static_cast<int>(std::min<size_t>(suffix, 2));
    }
  }
  for (const auto& [t, g] : group) out[g].push_back(t);
  return out;
}

ReP ascii_set(std::string_view chars) {
  CodePointSet s;
  for (char c : chars) s.push_back({static_cast<char32_t>(c), static_cast<char32_t>(c)});
  return re_set(std::move(s));
}

// The TLDs as a trie-shaped alternation, ASCII case-insensitive.
ReP tld_trie(const std::vector<std::string>& tlds, size_t depth, size_t from, size_t to) {
  std::vector<ReP> alts;
  size_t i = from;
  if (i < to && tlds[i].size() == depth) {
    alts.push_back(re_empty_string());
    ++i;
  }
  while (i < to) {
    size_t j = i;
    const char c = tlds[i][depth];
    while (j < to && tlds[j][depth] == c) ++j;
    alts.push_back(re_cat({re_ascii(std::string(1, c), true), tld_trie(tlds, depth + 1, i, j)}));
    i = j;
  }
  return re_alt(std::move(alts));
}

std::vector<std::vector<ReP>> url_email_rules() {
  const ReP alnum = re_set({{'A', 'Z'}, {'a', 'z'}, {'0', '9'}});
  const ReP alnum_dash = re_set({{'A', 'Z'}, {'a', 'z'}, {'0', '9'}, {'-', '-'}});
  const ReP digit = re_set({{'0', '9'}});
  const ReP hex = re_set({{'0', '9'}, {'A', 'F'}, {'a', 'f'}});
  const ReP dot = re_char('.');
  auto label = [&] { return re_cat({alnum, re_opt(re_cat({re_star(alnum_dash), alnum}))}); };
  auto label_seq = [&] { return re_cat({label(), re_star(re_cat({dot, label()}))}); };
  const std::vector<std::vector<std::string>> groups = tld_groups();
  std::vector<ReP> tld_alts;
  for (const auto& g : groups) tld_alts.push_back(tld_trie(g, 0, 0, g.size()));
  auto tld_of = [&](ReP alts) { return re_cat({dot, std::move(alts), re_opt(dot)}); };
  const ReP tld = tld_of(re_alt(tld_alts));
  auto domain_strict = [&] { return re_cat({label_seq(), tld}); };
  auto octet = [&] {
    return re_alt({re_cat({re_repeat(re_char('0'), 0, 2), digit}),
                   re_cat({re_opt(re_char('0')), re_set({{'1', '9'}}), digit}),
                   re_cat({re_char('1'), digit, digit}),
                   re_cat({re_char('2'), re_alt({re_cat({re_set({{'0', '4'}}), digit}),
                                                 re_cat({re_char('5'), re_set({{'0', '5'}})})})})});
  };
  auto ipv4 = [&] { return re_cat({octet(), re_repeat(re_cat({dot, octet()}), 3, 3)}); };
  auto h16 = [&] { return re_repeat(hex, 1, 4); };
  auto h16c = [&] { return re_cat({h16(), re_char(':')}); };
  auto ls32 = [&] { return re_alt({ipv4(), re_cat({h16(), re_char(':'), h16()})}); };
  auto dc = [] { return re_ascii("::"); };
  auto head = [&](int n) { return re_opt(re_cat({re_repeat(h16c(), 0, n), h16()})); };
  auto ipv6 = [&] {
    return re_alt({
        re_cat({re_repeat(h16c(), 6, 6), ls32()}),
        re_cat({dc(), re_repeat(h16c(), 5, 5), ls32()}),
        re_cat({re_opt(h16()), dc(), re_repeat(h16c(), 4, 4), ls32()}),
        re_cat({head(1), dc(), re_repeat(h16c(), 3, 3), ls32()}),
        re_cat({head(2), dc(), re_repeat(h16c(), 2, 2), ls32()}),
        re_cat({head(3), dc(), h16c(), ls32()}),
        re_cat({head(4), dc(), ls32()}),
        re_cat({head(5), dc(), h16()}),
        re_cat({head(6), dc()}),
    });
  };
  const ReP unreserved = re_set({{'-', '-'}, {'.', '.'}, {'_', '_'}, {'~', '~'}, {'A', 'Z'}, {'a', 'z'}, {'0', '9'}});
  auto pct = [&] { return re_cat({re_char('%'), hex, hex}); };
  const ReP sub_delims = ascii_set("!$&'()*+,;=");
  auto login_segment = [&] { return re_star(re_alt({unreserved, pct(), sub_delims})); };
  auto login = [&] { return re_cat({login_segment(), re_opt(re_cat({re_char(':'), login_segment()})), re_char('@')}); };
  auto query_chars = [&] { return re_star(re_alt({unreserved, pct(), sub_delims, ascii_set(":@/?")})); };
  auto query = [&] { return re_cat({re_char('?'), query_chars()}); };
  auto fragment = [&] { return re_cat({re_char('#'), query_chars()}); };
  auto port = [&] { return re_cat({re_char(':'), re_repeat(digit, 1, 5)}); };
  auto bracketed_ipv6 = [&] { return re_cat({re_char('['), ipv6(), re_char(']')}); };
  auto host_strict = [&] { return re_alt({bracketed_ipv6(), ipv4(), domain_strict()}); };
  auto host_of_group = [&](int g) { return re_alt({bracketed_ipv6(), ipv4(), re_cat({label_seq(), tld_of(tld_alts[g])})}); };
  auto host_loose = [&] { return re_alt({bracketed_ipv6(), ipv4(), label_seq()}); };
  auto http_path = [&] {
    return re_plus(re_cat({re_char('/'), re_star(re_alt({unreserved, pct(), ascii_set(";:@&=")}))}));
  };
  const ReP http_full = re_cat({re_ascii("http", true), re_opt(re_ascii("s", true)), re_ascii("://"), re_opt(login()),
                                host_loose(), re_opt(port()), re_opt(http_path()), re_opt(query()), re_opt(fragment())});
  const ReP http_no_scheme = re_cat({host_strict(), re_alt({
      re_cat({port(), re_opt(http_path()), re_opt(query()), re_opt(fragment())}),
      re_cat({re_opt(port()), http_path(), re_opt(query()), re_opt(fragment())}),
      re_cat({re_opt(port()), re_opt(http_path()), query(), re_opt(fragment())}),
      re_cat({re_opt(port()), re_opt(http_path()), re_opt(query()), fragment()}),
  })});
  auto ftp_segment = [&] { return re_star(re_alt({unreserved, pct(), ascii_set("?:@&=")})); };
  auto ftp_path = [&] {
    return re_cat({re_char('/'), ftp_segment(), re_star(re_cat({re_char('/'), ftp_segment()}))});
  };
  const ReP ftp = re_cat({re_ascii("ftp://", true), re_opt(login()), host_loose(), re_opt(port()), ftp_path(),
                          re_opt(re_cat({re_ascii(";type=", true), ascii_set("aAiIdD")})), re_opt(fragment())});
  const ReP file = re_cat({re_ascii("file://", true), re_opt(host_loose()), ftp_path(), re_opt(fragment())});
  const ReP url = re_alt({http_full, http_no_scheme, ftp, file});

  // JFlex's [A-Za-z0-9!#$%&'*+-/=?\^_`{|}~]: "+-/" is the range + , - . /
  const ReP atom = re_set({{'A', 'Z'}, {'a', 'z'}, {'0', '9'}, {'!', '!'}, {'#', '#'}, {'$', '$'}, {'%', '%'},
                           {'&', '&'}, {'\'', '\''}, {'*', '*'}, {'+', '/'}, {'=', '='}, {'?', '?'}, {'^', '^'},
                           {'_', '_'}, {'`', '`'}, {'{', '{'}, {'|', '|'}, {'}', '}'}, {'~', '~'}});
  const ReP backslash_pair = re_cat({re_char('\\'), re_set({{0, 0x7F}})});
  const ReP quoted = re_cat({re_char('"'),
                             re_star(re_alt({re_set({{0x01, 0x08}, {0x0B, 0x0C}, {0x0E, 0x21}, {0x23, 0x5B}, {0x5D, 0x7E}}),
                                             backslash_pair})),
                             re_char('"')});
  auto email_label = [&] { return re_alt({re_plus(atom), quoted}); };
  const ReP local_part = re_cat({email_label(), re_star(re_cat({dot, email_label()}))});
  const ReP literal_text = re_alt({re_set({{0x01, 0x08}, {0x0B, 0x0C}, {0x0E, 0x5A}, {0x5E, 0x7F}}), backslash_pair});
  const ReP bracketed_host =
      re_cat({re_char('['), re_alt({re_star(literal_text), ipv4(), re_cat({re_ascii("ipv6:", true), ipv6()})}), re_char(']')});
  auto email = [&] { return re_cat({local_part, re_char('@'), re_alt({domain_strict(), bracketed_host})}); };

  CodePointSet word_chars = {{'A', 'Z'}, {'a', 'z'}, {'0', '9'}, {'_', '_'}};
  word_chars.insert(word_chars.end(), std::begin(kUrlWordChars), std::end(kUrlWordChars));
  const CodePointSet dash_word = union_sets(word_chars, {{'-', '-'}});

  // Families of rules, each one DFA: {URL}; the host rules; the e-mail rules. An empty rule keeps
  // each rule's bit at its index.
  std::vector<std::vector<ReP>> families(3, std::vector<ReP>(10, re_nothing()));
  families[0][kUrl] = url;
  families[1][kHostThenOther] = re_cat({host_strict(), re_set(complement_set(dash_word))});
  for (int g = 0; g < 3; ++g) {
    families[1][kHostThenWord0 + 2 * g] = re_cat({host_of_group(g), re_set(dash_word)});
    families[1][kHost0 + 2 * g] = host_of_group(g);
  }
  families[2][kMailto] = re_cat({re_ascii("mailto:", true), email()});
  families[2][kEmail] = email();
  return families;
}

const std::vector<Dfa>& url_email_dfas() {
  static const std::vector<Dfa> dfas = [] {
    std::vector<Dfa> out;
    for (const auto& family : url_email_rules()) {
      auto d = Dfa::build(family, 1u << 22);
      SIFT_ASSERT(d.is_ok());
      out.push_back(std::move(d).value());
    }
    return out;
  }();
  return dfas;
}

// The standard segmentation of text[from..], and whether a position is one of its scanner
// positions (a token boundary, or a code point boundary outside tokens).
struct Segmentation {
  std::vector<StandardSpan> spans;
  size_t next = 0;  // first span that ends after the scanner's position

  void compute(std::u16string_view text, size_t from, int32_t max_len) {
    spans.clear();
    next = 0;
    standard_tokenize(text.substr(from), max_len, &spans);
    for (StandardSpan& s : spans) {
      s.start += static_cast<int32_t>(from);
      s.end += static_cast<int32_t>(from);
    }
  }
  // Moves to position p; false when p falls inside a span (not a scanner position).
  bool seek(size_t p) {
    while (next < spans.size() && static_cast<size_t>(spans[next].end) <= p) ++next;
    return next == spans.size() || static_cast<size_t>(spans[next].start) >= p;
  }
};

class UrlEmailTokenizer final : public Tokenizer {
 public:
  explicit UrlEmailTokenizer(int32_t max_len) : max_len_(max_len) {}

  void tokenize(std::u16string_view text, TokenStream* out) const override {
    Segmentation seg;
    seg.compute(text, 0, max_len_);
    uint32_t allowed = ~0u;  // YYINITIAL; ~kBareHostRules in AVOID_BAD_URL
    uint32_t position = 0;
    size_t p = 0;
    const size_t n = text.size();
    while (p < n) {
      const size_t window_end = std::min(n, p + static_cast<size_t>(max_len_));
      size_t after;
      decode_code_point(text, p, &after);
      if (after > window_end) break;  // a surrogate pair the buffer cannot hold ends Lucene's scanner
      // The word rules' match at p.
      size_t word_end = p;
      const char* word_type = nullptr;
      if (seg.next < seg.spans.size() && static_cast<size_t>(seg.spans[seg.next].start) == p) {
        word_end = static_cast<size_t>(seg.spans[seg.next].end);
        word_type = standard_token_type_name(seg.spans[seg.next].type);
      }
      // The URL and e-mail rules' longest match at p (ties: the earlier rule).
      size_t best = p, best_last = p;  // best_last: where the match's last code point starts
      uint32_t best_rules = 0;
      for (const Dfa& dfa : url_email_dfas()) {
        int32_t state = dfa.start();
        size_t i = p;
        while (i < window_end && state != Dfa::kDead) {
          size_t next;
          state = dfa.step(state, decode_code_point(text, i, &next));
          if (next > window_end) break;
          uint32_t a = dfa.accepts(state) & allowed;
          if (a != 0 && (best_rules == 0 || next > best || (next == best && __builtin_ctz(a) < __builtin_ctz(best_rules)))) {
            best = next;
            best_last = i;
            best_rules = a;
          }
          i = next;
        }
      }
      if (best_rules != 0 && best >= word_end) {
        const int rule = __builtin_ctz(best_rules);
        if ((kHostThenWordRules >> rule) & 1) {
          allowed = ~kBareHostRules;
          continue;
        }
        size_t end = best;
        const char* type = "<URL>";
        if (rule == kHostThenOther) end = best_last;
        if (rule == kMailto) {
          end = p + 6;
          type = "<ALPHANUM>";
        }
        if (rule == kEmail) type = "<EMAIL>";
        append_token(text, p, end, position++, type, out);
        allowed = ~0u;
        p = end;
        if (!seg.seek(p)) seg.compute(text, p, max_len_);
        continue;
      }
      if (word_type != nullptr) {
        append_token(text, p, word_end, position++, word_type, out);
        allowed = ~0u;
        p = word_end;
        seg.seek(p);
        continue;
      }
      decode_code_point(text, p, &p);  // [^]: skipped, the state kept
      seg.seek(p);
    }
    out->end_position = position;
  }

 private:
  int32_t max_len_;
};

}  // namespace

void register_url_email_tokenizer(ComponentTypes* types) {
  types->tokenizers["uax_url_email"] = [](const ComponentSettings& s) -> Result<std::shared_ptr<const Tokenizer>> {
    SIFT_ASSIGN_OR_RETURN(int64_t n, s.get_int("max_token_length", kDefaultMaxTokenLength));
    if (n < 1 || n > 1024 * 1024) {
      return invalid_argument("maxTokenLength must be greater than 0 and less than 1048576 passed: " + std::to_string(n));
    }
    (void)url_email_dfas();
    return std::shared_ptr<const Tokenizer>(std::make_shared<UrlEmailTokenizer>(static_cast<int32_t>(n)));
  };
}

}  // namespace sift::analysis
