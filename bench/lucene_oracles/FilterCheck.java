// Records what Lucene 8.7's token filters and char filters produce, as OpenSearch configures them,
// for tests/unit/analyzers/filter_cases.inc. See README.md.
//
// A case is "<spec>\t<text>" where spec is  char_filters > tokenizer > filters  (each list ';'
// separated, may be empty) or  @analyzer(params) . A component is  name  or  name(k=v&k=v) ; a list
// value separates its items with '|'; %XX escapes a byte of UTF-8 (for & | ; > ( ) % = in values).
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.regex.*;
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.charfilter.*;
import org.apache.lucene.analysis.cjk.*;
import org.apache.lucene.analysis.core.*;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.icu.*;
import org.apache.lucene.analysis.miscellaneous.*;
import org.apache.lucene.analysis.pattern.*;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.standard.*;
import org.apache.lucene.analysis.tokenattributes.*;
import org.apache.lucene.analysis.tr.*;
import org.apache.lucene.analysis.util.ElisionFilter;
import com.ibm.icu.text.*;

public class FilterCheck {
  static String unescape(String s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '%' && i + 2 < in.length) {
        b.write(Integer.parseInt(new String(in, i + 1, 2, StandardCharsets.US_ASCII), 16));
        i += 2;
      } else {
        b.write(in[i]);
      }
    }
    return new String(b.toByteArray(), StandardCharsets.UTF_8);
  }

  static final class Comp {
    String name;
    Map<String, String> p = new HashMap<>();
    String get(String k, String d) { return p.containsKey(k) ? p.get(k) : d; }
    boolean bool(String k, boolean d) { return p.containsKey(k) ? Boolean.parseBoolean(p.get(k)) : d; }
    int integer(String k, int d) { return p.containsKey(k) ? Integer.parseInt(p.get(k)) : d; }
    List<String> list(String k) {
      if (!p.containsKey(k)) return null;
      List<String> out = new ArrayList<>();
      for (String item : p.get(k).split("\\|", -1)) out.add(unescape(item));
      return out;
    }
  }

  static List<Comp> comps(String s) {
    List<Comp> out = new ArrayList<>();
    if (s.isEmpty()) return out;
    for (String part : s.split(";")) {
      Comp c = new Comp();
      int open = part.indexOf('(');
      if (open < 0) {
        c.name = part;
      } else {
        c.name = part.substring(0, open);
        String body = part.substring(open + 1, part.length() - 1);
        for (String kv : body.split("&")) {
          int eq = kv.indexOf('=');
          c.p.put(kv.substring(0, eq), kv.substring(eq + 1));  // lists unescape per item
        }
      }
      out.add(c);
    }
    return out;
  }

  static String value(Comp c, String k, String d) {
    return c.p.containsKey(k) ? unescape(c.p.get(k)) : d;
  }

  // OpenSearch's MappingCharFilterFactory rule syntax, written from its documentation.
  static String parseMapping(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length();) {
      char c = s.charAt(i++);
      if (c == '\\') {
        c = s.charAt(i++);
        switch (c) {
          case 'n': c = '\n'; break;
          case 't': c = '\t'; break;
          case 'r': c = '\r'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'u': c = (char) Integer.parseInt(s.substring(i, i + 4), 16); i += 4; break;
          default: break;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  static Reader charFilter(Comp c, Reader r) {
    switch (c.name) {
      case "html_strip": {
        List<String> tags = c.list("escaped_tags");
        return new HTMLStripCharFilter(r, tags == null ? null : new HashSet<>(tags));
      }
      case "mapping": {
        NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
        Pattern rule = Pattern.compile("(.*)\\s*=>\\s*(.*)\\s*$");
        for (String m : c.list("mappings")) {
          Matcher mm = rule.matcher(m);
          if (!mm.find()) throw new RuntimeException("bad rule " + m);
          b.add(parseMapping(mm.group(1).trim()), parseMapping(mm.group(2).trim()));
        }
        return new MappingCharFilter(b.build(), r);
      }
      case "pattern_replace":
        return new PatternReplaceCharFilter(Pattern.compile(value(c, "pattern", "")), value(c, "replacement", ""), r);
      default: throw new RuntimeException("char filter " + c.name);
    }
  }

  static CharArraySet stopSet(Comp c, CharArraySet fallback) {
    List<String> words = c.list("stopwords");
    if (words == null) return fallback;
    if (words.size() == 1 && words.get(0).equals("_none_")) return CharArraySet.EMPTY_SET;
    if (words.size() == 1 && words.get(0).equals("_english_")) return EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;
    return new CharArraySet(words, false);
  }

  static TokenStream filter(Comp c, TokenStream ts) {
    switch (c.name) {
      case "lowercase": {
        String lang = c.get("language", "");
        if (lang.equals("greek")) return new GreekLowerCaseFilter(ts);
        if (lang.equals("irish")) return new IrishLowerCaseFilter(ts);
        if (lang.equals("turkish")) return new TurkishLowerCaseFilter(ts);
        return new org.apache.lucene.analysis.LowerCaseFilter(ts);
      }
      case "uppercase": return new UpperCaseFilter(ts);
      case "asciifolding": return new ASCIIFoldingFilter(ts, c.bool("preserve_original", false));
      case "icu_folding": {
        String set = value(c, "unicode_set_filter", null);
        if (set == null) return new ICUFoldingFilter(ts);
        return new ICUNormalizer2Filter(ts, new FilteredNormalizer2(ICUFoldingFilter.NORMALIZER, new UnicodeSet(set).freeze()));
      }
      case "icu_normalizer": {
        Normalizer2 n = Normalizer2.getInstance(null, c.get("name", "nfkc_cf"),
            c.get("mode", "compose").equals("decompose") ? Normalizer2.Mode.DECOMPOSE : Normalizer2.Mode.COMPOSE);
        String set = value(c, "unicode_set_filter", null);
        if (set != null) n = new FilteredNormalizer2(n, new UnicodeSet(set).freeze());
        return new ICUNormalizer2Filter(ts, n);
      }
      case "length": return new LengthFilter(ts, c.integer("min", 0), c.integer("max", Integer.MAX_VALUE));
      case "truncate": return new TruncateTokenFilter(ts, c.integer("length", 10));
      case "trim": return new TrimFilter(ts);
      case "reverse": return new ReverseStringFilter(ts);
      case "elision": {
        List<String> a = c.list("articles");
        CharArraySet set = a == null ? FrenchAnalyzer.DEFAULT_ARTICLES : new CharArraySet(a, c.bool("articles_case", false));
        return new ElisionFilter(ts, set);
      }
      case "cjk_width": return new CJKWidthFilter(ts);
      case "cjk_bigram": {
        Set<String> scripts = new HashSet<>(Arrays.asList("han", "hiragana", "katakana", "hangul"));
        List<String> ignored = c.list("ignored_scripts");
        if (ignored != null) scripts.removeAll(ignored);
        int flags = 0;
        if (scripts.contains("han")) flags |= CJKBigramFilter.HAN;
        if (scripts.contains("hiragana")) flags |= CJKBigramFilter.HIRAGANA;
        if (scripts.contains("katakana")) flags |= CJKBigramFilter.KATAKANA;
        if (scripts.contains("hangul")) flags |= CJKBigramFilter.HANGUL;
        return new CJKBigramFilter(ts, flags, c.bool("output_unigrams", false));
      }
      case "decimal_digit": return new DecimalDigitFilter(ts);
      case "pattern_replace":
        return new PatternReplaceFilter(ts, Pattern.compile(value(c, "pattern", "")), value(c, "replacement", ""),
                                        c.bool("all", true));
      case "keyword_marker": {
        String pat = value(c, "keywords_pattern", null);
        if (pat != null) return new PatternKeywordMarkerFilter(ts, Pattern.compile(pat));
        return new SetKeywordMarkerFilter(ts, new CharArraySet(c.list("keywords"), c.bool("ignore_case", false)));
      }
      case "keyword_repeat": return new KeywordRepeatFilter(ts);
      case "remove_duplicates": return new RemoveDuplicatesTokenFilter(ts);
      case "apostrophe": return new ApostropheFilter(ts);
      case "classic": return new ClassicFilter(ts);
      case "fingerprint":
        return new FingerprintFilter(ts, c.integer("max_output_size", 255), value(c, "separator", " ").charAt(0));
      case "stop": return new org.apache.lucene.analysis.StopFilter(ts, stopSet(c, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET));
      case "porter_stem": return new org.apache.lucene.analysis.en.PorterStemFilter(ts);
      default: throw new RuntimeException("filter " + c.name);
    }
  }

  static Tokenizer tokenizer(String name) {
    switch (name) {
      case "whitespace": return new WhitespaceTokenizer();
      case "standard": return new StandardTokenizer();
      case "keyword": return new KeywordTokenizer();
      case "classic": return new ClassicTokenizer();
      default: throw new RuntimeException("tokenizer " + name);
    }
  }

  static Analyzer analyzer(String spec) {
    if (spec.startsWith("@")) {
      Comp a = comps(spec.substring(1)).get(0);
      if (a.name.equals("cjk")) return new CJKAnalyzer(stopSet(a, CJKAnalyzer.getDefaultStopSet()));
      if (a.name.equals("fingerprint")) {
        CharArraySet stop = stopSet(a, CharArraySet.EMPTY_SET);
        int max = a.integer("max_output_size", 255);
        char sep = value(a, "separator", " ").charAt(0);
        return new Analyzer() {  // OpenSearch's FingerprintAnalyzer
          @Override protected TokenStreamComponents createComponents(String f) {
            Tokenizer t = new StandardTokenizer();
            TokenStream s = new org.apache.lucene.analysis.LowerCaseFilter(t);
            s = new ASCIIFoldingFilter(s, false);
            s = new org.apache.lucene.analysis.StopFilter(s, stop);
            s = new FingerprintFilter(s, max, sep);
            return new TokenStreamComponents(t, s);
          }
        };
      }
      throw new RuntimeException("analyzer " + a.name);
    }
    String[] parts = spec.split(">", -1);
    List<Comp> cfs = comps(parts[0]);
    String tok = parts[1];
    List<Comp> fs = comps(parts[2]);
    return new Analyzer() {
      @Override protected Reader initReader(String f, Reader r) {
        for (Comp c : cfs) r = charFilter(c, r);
        return r;
      }
      @Override protected TokenStreamComponents createComponents(String f) {
        Tokenizer t = tokenizer(tok);
        TokenStream s = t;
        for (Comp c : fs) s = filter(c, s);
        return new TokenStreamComponents(t, s);
      }
    };
  }

  static String lit(String s) {
    // Lucene's UTF-16 -> UTF-8 (an unpaired surrogate becomes U+FFFD), as the index stores terms.
    org.apache.lucene.util.BytesRef utf8 = new org.apache.lucene.util.BytesRef(s);
    StringBuilder b = new StringBuilder("\"");
    for (byte x : Arrays.copyOfRange(utf8.bytes, utf8.offset, utf8.offset + utf8.length)) {
      int v = x & 0xff;
      if (v == '"' || v == '\\') b.append('\\').append((char) v);
      else if (v < 0x20 || v == 0x7f || v == '?') b.append(String.format("\\%03o", v));
      else b.append((char) v);  // UTF-8 bytes pass through: re-decoded below
    }
    b.append('"');
    return new String(b.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(args[0]), StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty() || line.startsWith("#")) continue;
      int tab = line.indexOf('\t');
      String spec = line.substring(0, tab);
      String text = unescape(line.substring(tab + 1));
      Analyzer a = analyzer(spec);
      StringBuilder toks = new StringBuilder();
      int pos = -1;
      try (TokenStream ts = a.tokenStream("f", text)) {
        CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
        OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
        PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
        PositionLengthAttribute len = ts.addAttribute(PositionLengthAttribute.class);
        TypeAttribute type = ts.addAttribute(TypeAttribute.class);
        KeywordAttribute kw = ts.addAttribute(KeywordAttribute.class);
        ts.reset();
        while (ts.incrementToken()) {
          pos += inc.getPositionIncrement();
          toks.append(String.format("{%s, %d, %d, %d, %d, %s, %b}, ", lit(term.toString()), off.startOffset(),
                                    off.endOffset(), pos, len.getPositionLength(), lit(type.type()), kw.isKeyword()));
        }
        ts.end();
        pos += inc.getPositionIncrement();
      }
      out.printf("{%s, %s, %d, {%s}},%n", lit(spec), lit(text), pos + 1, toks);
    }
  }
}
