import java.io.*;
import java.util.*;
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.core.*;
import org.apache.lucene.analysis.miscellaneous.*;
import org.apache.lucene.analysis.ngram.*;
import org.apache.lucene.analysis.shingle.*;
import org.apache.lucene.analysis.standard.*;
import org.apache.lucene.analysis.synonym.*;
import org.apache.lucene.analysis.tokenattributes.*;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;

// Records what Lucene 8.7's graph token filters emit (synonym, synonym_graph, word_delimiter,
// word_delimiter_graph, shingle, ngram, edge_ngram) after a whitespace or standard tokenizer,
// configured as OpenSearch configures them from the same settings. Prints C++ initializers for
// tests/unit/analyzers/graph_filter_cases.inc: the tokenizer, each filter's flat settings, the
// text, and every token (term, offsets, position, position length, type), as one raw string
// literal of tab-separated lines (cheap to compile):
//   CP=/usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar
//   javac -d /tmp/oracle -cp $CP bench/lucene_oracles/GraphFilterCheck.java
//   java -cp $CP:/tmp/oracle GraphFilterCheck > tests/unit/analyzers/graph_filter_cases.inc
public class GraphFilterCheck {
  // One filter: its settings, lists as repeated keys.
  static final class F {
    final LinkedHashMap<String, List<String>> s = new LinkedHashMap<>();
    String get(String k, String d) { List<String> v = s.get(k); return v == null ? d : v.get(0); }
    boolean bool(String k, boolean d) { return Boolean.parseBoolean(get(k, Boolean.toString(d))); }
    int num(String k, int d) { return Integer.parseInt(get(k, Integer.toString(d))); }
    List<String> list(String k) { return s.get(k); }
  }
  static F f(String type, String... kv) {
    F f = new F();
    f.s.put("type", new ArrayList<>(List.of(type)));
    for (int i = 0; i < kv.length; i += 2) f.s.computeIfAbsent(kv[i], k -> new ArrayList<>()).add(kv[i + 1]);
    return f;
  }

  static Tokenizer tokenizer(String name) {
    return name.equals("standard") ? new StandardTokenizer() : new WhitespaceTokenizer();
  }

  // Lenient parsing as OpenSearch's OpenSearchSolrSynonymParser.
  static final class LenientSolr extends SolrSynonymParser {
    final boolean lenient;
    LenientSolr(boolean expand, boolean lenient, Analyzer a) { super(true, expand, a); this.lenient = lenient; }
    @Override public void add(CharsRef in, CharsRef out, boolean orig) {
      if (!lenient || (in.length > 0 && out.length > 0)) super.add(in, out, orig);
    }
    @Override public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
      try { return super.analyze(text, reuse); } catch (IllegalArgumentException e) { if (lenient) return new CharsRef(""); throw e; }
    }
  }
  static final class LenientWordnet extends WordnetSynonymParser {
    final boolean lenient;
    LenientWordnet(boolean expand, boolean lenient, Analyzer a) { super(true, expand, a); this.lenient = lenient; }
    @Override public void add(CharsRef in, CharsRef out, boolean orig) {
      if (!lenient || (in.length > 0 && out.length > 0)) super.add(in, out, orig);
    }
    @Override public CharsRef analyze(String text, CharsRefBuilder reuse) throws IOException {
      try { return super.analyze(text, reuse); } catch (IllegalArgumentException e) { if (lenient) return new CharsRef(""); throw e; }
    }
  }

  static int flags(F f, boolean graph) {
    int fl = 0;
    if (f.bool("generate_word_parts", true)) fl |= WordDelimiterGraphFilter.GENERATE_WORD_PARTS;
    if (f.bool("generate_number_parts", true)) fl |= WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS;
    if (f.bool("catenate_words", false)) fl |= WordDelimiterGraphFilter.CATENATE_WORDS;
    if (f.bool("catenate_numbers", false)) fl |= WordDelimiterGraphFilter.CATENATE_NUMBERS;
    if (f.bool("catenate_all", false)) fl |= WordDelimiterGraphFilter.CATENATE_ALL;
    if (f.bool("split_on_case_change", true)) fl |= WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE;
    if (f.bool("preserve_original", false)) fl |= WordDelimiterGraphFilter.PRESERVE_ORIGINAL;
    if (f.bool("split_on_numerics", true)) fl |= WordDelimiterGraphFilter.SPLIT_ON_NUMERICS;
    if (f.bool("stem_english_possessive", true)) fl |= WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;
    return fl;
  }

  // Simple type_table rules only ("x => DIGIT").
  static byte[] typeTable(List<String> rules) {
    if (rules == null) return WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE;
    byte[] t = new byte[256];
    for (int i = 0; i < 256; i++) t[i] = WordDelimiterIterator.getType(i);
    for (String r : rules) {
      String[] p = r.split("=>");
      char c = p[0].trim().charAt(0);
      String ty = p[1].trim();
      byte b = (byte) (ty.equals("LOWER") ? WordDelimiterFilter.LOWER : ty.equals("UPPER") ? WordDelimiterFilter.UPPER
          : ty.equals("ALPHA") ? WordDelimiterFilter.ALPHA : ty.equals("DIGIT") ? WordDelimiterFilter.DIGIT
          : ty.equals("ALPHANUM") ? WordDelimiterFilter.ALPHANUM : WordDelimiterFilter.SUBWORD_DELIM);
      t[c] = b;
    }
    return t;
  }

  static TokenStream apply(F f, TokenStream ts, String tok, List<F> before) throws Exception {
    String type = f.get("type", "");
    switch (type) {
      case "lowercase": return new org.apache.lucene.analysis.LowerCaseFilter(ts);
      case "stop": return new org.apache.lucene.analysis.StopFilter(ts, new CharArraySet(f.list("stopwords"), false));
      case "synonym":
      case "synonym_graph": {
        Analyzer a = new Analyzer() {
          @Override protected TokenStreamComponents createComponents(String field) {
            Tokenizer t = tokenizer(tok);
            TokenStream s = t;
            try {
              for (F b : before) {
                String bt = b.get("type", "");
                if (bt.equals("synonym") || bt.equals("synonym_graph")) continue;
                s = apply(b, s, tok, List.of());
              }
            } catch (Exception e) { throw new RuntimeException(e); }
            return new TokenStreamComponents(t, s);
          }
        };
        StringBuilder sb = new StringBuilder();
        for (String line : f.list("synonyms")) sb.append(line).append(System.lineSeparator());
        boolean expand = f.bool("expand", true), lenient = f.bool("lenient", false);
        SynonymMap map;
        if (f.get("format", "").equalsIgnoreCase("wordnet")) {
          LenientWordnet p = new LenientWordnet(expand, lenient, a);
          p.parse(new StringReader(sb.toString()));
          map = p.build();
        } else {
          LenientSolr p = new LenientSolr(expand, lenient, a);
          p.parse(new StringReader(sb.toString()));
          map = p.build();
        }
        if (map.fst == null) return ts;
        return type.equals("synonym") ? new SynonymFilter(ts, map, false) : new SynonymGraphFilter(ts, map, false);
      }
      case "word_delimiter":
      case "word_delimiter_graph": {
        List<String> prot = f.list("protected_words");
        CharArraySet ps = prot == null ? null : new CharArraySet(prot, false);
        byte[] table = typeTable(f.list("type_table"));
        if (type.equals("word_delimiter")) return new WordDelimiterFilter(ts, table, flags(f, false), ps);
        return new WordDelimiterGraphFilter(ts, f.bool("adjust_offsets", true), table, flags(f, true), ps);
      }
      case "shingle": {
        ShingleFilter s = new ShingleFilter(ts, f.num("min_shingle_size", 2), f.num("max_shingle_size", 2));
        s.setOutputUnigrams(f.bool("output_unigrams", true));
        s.setOutputUnigramsIfNoShingles(f.bool("output_unigrams_if_no_shingles", false));
        s.setTokenSeparator(f.get("token_separator", " "));
        s.setFillerToken(f.get("filler_token", "_"));
        return s;
      }
      case "ngram": return new NGramTokenFilter(ts, f.num("min_gram", 1), f.num("max_gram", 2), f.bool("preserve_original", false));
      case "edge_ngram": return new EdgeNGramTokenFilter(ts, f.num("min_gram", 1), f.num("max_gram", 2), f.bool("preserve_original", false));
    }
    throw new IllegalArgumentException("unknown filter " + type);
  }

  static int count = 0;

  static String clean(String s) {
    if (s.indexOf('\t') >= 0 || s.indexOf('\n') >= 0 || s.contains(")GF\"")) throw new IllegalArgumentException(s);
    return s;
  }

  // One case: "C\ttokenizer\ttext", a line "F\tkey\tvalue..." per filter, a line
  // "T\tterm\tstart\tend\tposition\tposition length\ttype" per token.
  static void run(String tok, String text, F... filters) throws Exception {
    StringBuilder out = new StringBuilder();
    out.append("C\t").append(tok).append("\t").append(clean(text)).append("\n");
    for (F f : filters) {
      out.append("F");
      for (Map.Entry<String, List<String>> e : f.s.entrySet()) {
        List<String> v = e.getValue();
        boolean isList = List.of("synonyms", "stopwords", "protected_words", "type_table").contains(e.getKey());
        for (int k = 0; k < v.size(); k++) {
          out.append("\t").append(isList ? e.getKey() + "." + k : e.getKey()).append("\t").append(clean(v.get(k)));
        }
      }
      out.append("\n");
    }
    Tokenizer t = tokenizer(tok);
    t.setReader(new StringReader(text));
    TokenStream ts = t;
    List<F> before = new ArrayList<>();
    for (F f : filters) { ts = apply(f, ts, tok, new ArrayList<>(before)); before.add(f); }
    CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
    OffsetAttribute off = ts.addAttribute(OffsetAttribute.class);
    PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
    PositionLengthAttribute len = ts.addAttribute(PositionLengthAttribute.class);
    TypeAttribute type = ts.addAttribute(TypeAttribute.class);
    ts.reset();
    int pos = -1;
    while (ts.incrementToken()) {
      pos += inc.getPositionIncrement();
      out.append("T\t").append(clean(term.toString())).append("\t").append(off.startOffset()).append("\t")
         .append(off.endOffset()).append("\t").append(pos).append("\t").append(len.getPositionLength()).append("\t")
         .append(type.type()).append("\n");
    }
    ts.end();
    ts.close();
    System.out.print(out);
    count++;
  }

  static void syn(String tok, String text, String type, String... rules) throws Exception {
    String[] kv = new String[rules.length * 2];
    for (int i = 0; i < rules.length; i++) { kv[2 * i] = "synonyms"; kv[2 * i + 1] = rules[i]; }
    run(tok, text, f("lowercase"), f(type, kv));
  }

  static String words(Random r, String[] vocab, int min, int max) {
    int n = min + r.nextInt(max - min + 1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) b.append(i > 0 ? " " : "").append(vocab[r.nextInt(vocab.length)]);
    return b.toString();
  }

  // Random rules and texts over small vocabularies, so matches overlap, chain and nest often.
  static void randomized(Random r) throws Exception {
    String[] vocab = {"a", "b", "c", "d"};
    for (int i = 0; i < 160; i++) {
      String type = i % 2 == 0 ? "synonym_graph" : "synonym";
      List<String> kv = new ArrayList<>();
      int rules = 1 + r.nextInt(4);
      for (int k = 0; k < rules; k++) {
        String rule;
        if (r.nextInt(3) == 0) {
          rule = words(r, vocab, 1, 3) + " => " + words(r, vocab, 1, 3) + (r.nextBoolean() ? ", " + words(r, vocab, 1, 2) : "");
        } else {
          rule = words(r, vocab, 1, 3) + ", " + words(r, vocab, 1, 3) + (r.nextBoolean() ? ", " + words(r, vocab, 1, 2) : "");
        }
        kv.add("synonyms");
        kv.add(rule);
      }
      if (r.nextInt(4) == 0) { kv.add("expand"); kv.add("false"); }
      String text = words(r, new String[] {"a", "b", "c", "d", "e", "the"}, 1, 9);
      if (r.nextBoolean()) {
        run("whitespace", text, f("stop", "stopwords", "the"), f(type, kv.toArray(new String[0])));
      } else {
        run("whitespace", text, f(type, kv.toArray(new String[0])));
      }
    }
    String alphabet = "aAbB1 2-_'sS.é";
    String[] flagNames = {"generate_word_parts", "generate_number_parts", "catenate_words", "catenate_numbers",
        "catenate_all", "split_on_case_change", "preserve_original", "split_on_numerics", "stem_english_possessive"};
    for (int i = 0; i < 240; i++) {
      StringBuilder text = new StringBuilder();
      int n = 1 + r.nextInt(14);
      for (int k = 0; k < n; k++) text.append(alphabet.charAt(r.nextInt(alphabet.length())));
      List<String> kv = new ArrayList<>();
      for (String flag : flagNames) {
        if (r.nextInt(3) == 0) { kv.add(flag); kv.add(Boolean.toString(r.nextBoolean())); }
      }
      String type = i % 2 == 0 ? "word_delimiter_graph" : "word_delimiter";
      run("whitespace", text.toString(), f(type, kv.toArray(new String[0])));
    }
    // Several tokens per text (offsets never go backwards across tokens), holes from stop words.
    for (int i = 0; i < 80; i++) {
      StringBuilder text = new StringBuilder();
      int words = 1 + r.nextInt(4);
      for (int w = 0; w < words; w++) {
        if (w > 0) text.append(' ');
        if (r.nextInt(4) == 0) { text.append("the"); continue; }
        int n = 1 + r.nextInt(8);
        for (int k = 0; k < n; k++) text.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      List<String> kv = new ArrayList<>();
      for (String flag : flagNames) {
        if (r.nextInt(3) == 0) { kv.add(flag); kv.add(Boolean.toString(r.nextBoolean())); }
      }
      String type = i % 2 == 0 ? "word_delimiter_graph" : "word_delimiter";
      run("whitespace", text.toString().replace("  ", " ").trim(), f("stop", "stopwords", "the"), f(type, kv.toArray(new String[0])));
    }
    // Two synonym filters in a chain: the second sees the first's graph.
    for (int i = 0; i < 40; i++) {
      String type = i % 2 == 0 ? "synonym_graph" : "synonym";
      String text = words(r, vocab, 1, 7);
      run("whitespace", text, f(type, "synonyms", words(r, vocab, 1, 2) + ", " + words(r, vocab, 1, 2)),
          f(type, "synonyms", words(r, vocab, 1, 2) + " => " + words(r, vocab, 1, 2)));
    }
    for (int i = 0; i < 80; i++) {
      int min = 2 + r.nextInt(3);
      int max = min + r.nextInt(2);
      boolean uni = r.nextBoolean();
      String text = words(r, new String[] {"a", "b", "c", "the"}, 1, 8);
      run("whitespace", text, f("stop", "stopwords", "the"), f("shingle", "min_shingle_size", "" + min,
          "max_shingle_size", "" + max, "output_unigrams", "" + uni, "output_unigrams_if_no_shingles", "" + r.nextBoolean()));
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println("// Generated by bench/lucene_oracles/GraphFilterCheck.java (Lucene 8.7): do not edit.");
    System.out.println("R\"GF(");
    for (String type : new String[] {"synonym_graph", "synonym"}) {
      syn("whitespace", "the quick fox jumps", type, "quick, fast, speedy");
      syn("whitespace", "the quick fox jumps", type, "quick => fast");
      syn("whitespace", "the quick fox jumps", type, "quick => fast, speedy");
      syn("whitespace", "i like new york city a lot", type, "new york, ny, nyc");
      syn("whitespace", "i like new york city a lot", type, "new york city => nyc");
      syn("whitespace", "i like ny today", type, "ny => new york city");
      syn("whitespace", "i like ny", type, "ny => new york city");
      syn("whitespace", "i like ny", type, "ny, new york city");
      syn("whitespace", "i like new york", type, "ny, new york city");
      syn("whitespace", "i like new york city", type, "ny, new york city");
      syn("whitespace", "wi fi and wifi", type, "wi fi, wifi, wireless fidelity");
      syn("whitespace", "a b c d e", type, "a b, x", "b c d, y z", "e, f g h");
      syn("whitespace", "a b c d e", type, "b c, q", "c d e, r s");
      syn("whitespace", "a b a b a", type, "a b, ab", "b a b, bab");
      syn("whitespace", "dns server dns", type, "dns, domain name system, domain name service");
      syn("whitespace", "go going gone", type, "go, going, gone");
      syn("whitespace", "Foo bar FOO", type, "foo => baz, qux", "bar => foo");
      syn("whitespace", "x y z", type, "x => x, y", "y => z");
      syn("standard", "The U.S.A. and the USA!", type, "usa, united states of america");
      syn("standard", "I'm in LA, Los Angeles", type, "la, los angeles, city of angels");
      syn("whitespace", "hello world", type, "#comment, ignored", "", "hello, hi");
      syn("whitespace", "a\\,b c", type, "a\\,b, comma");
      syn("whitespace", "café naïve", type, "café, cafe", "naïve => naive");
      run("whitespace", "the quick fox", f("lowercase"), f(type, "synonyms", "quick, fast", "expand", "false"));
      run("whitespace", "the fast fox", f("lowercase"), f(type, "synonyms", "quick, fast, speedy", "expand", "false"));
      run("whitespace", "new york is big", f("lowercase"), f(type, "synonyms", "ny, new york", "expand", "false"));
      run("whitespace", "the quick brown fox", f("lowercase"), f("stop", "stopwords", "the"),
          f(type, "synonyms", "quick, fast", "synonyms", "brown fox, red fox"));
      run("whitespace", "a the b c", f("lowercase"), f("stop", "stopwords", "the"), f(type, "synonyms", "b c, bc"));
      run("whitespace", "a the b c", f("lowercase"), f("stop", "stopwords", "the"), f(type, "synonyms", "a, aa"));
      run("whitespace", "big apple pie", f("lowercase"), f(type, "synonyms", "big apple, nyc", "lenient", "true"),
          f(type, "synonyms", "pie, tart"));
      run("whitespace", "foo the bar", f("lowercase"), f("stop", "stopwords", "the"),
          f(type, "synonyms", "foo, the bar, baz", "lenient", "true"));
      run("whitespace", "abstain from it", f(type, "format", "wordnet", "synonyms",
          "s(100000001,1,'abstain',v,1,0).", "synonyms", "s(100000001,2,'refrain',v,1,0).",
          "synonyms", "s(100000001,3,'desist',v,1,0)."));
      run("whitespace", "refrain now", f(type, "format", "wordnet", "expand", "false", "synonyms",
          "s(100000001,1,'abstain',v,1,0).", "synonyms", "s(100000001,2,'refrain',v,1,0)."));
      run("whitespace", "wifi", f(type, "synonyms", "wifi => wi fi"), f("word_delimiter_graph"));
    }
    String[] wdInputs = {"PowerShot", "Power-Shot", "wi-fi-4000", "500-42", "j2se", "O'Neil's", "SD500", "---",
        "a", "Hello-World-", "-x-", "AT&T", "ab12cd-34", "Super-Duper-XL500-42-AutoCoder!", "foo's", "3.14",
        "LeBron", "ÉCOLE-été", "x--y", "I.B.M.", "X'S"};
    String[][] wdConfigs = {
        {},
        {"catenate_words", "true"},
        {"catenate_numbers", "true"},
        {"catenate_all", "true"},
        {"catenate_words", "true", "catenate_numbers", "true", "catenate_all", "true"},
        {"preserve_original", "true"},
        {"preserve_original", "true", "catenate_all", "true"},
        {"split_on_case_change", "false", "split_on_numerics", "false"},
        {"generate_word_parts", "false", "catenate_words", "true"},
        {"generate_number_parts", "false", "generate_word_parts", "false", "catenate_all", "true"},
        {"stem_english_possessive", "false"},
        {"preserve_original", "true", "generate_word_parts", "false", "generate_number_parts", "false"},
    };
    for (String type : new String[] {"word_delimiter_graph", "word_delimiter"}) {
      for (String[] cfg : wdConfigs) {
        for (String in : wdInputs) run("whitespace", in, f(type, cfg));
      }
      run("whitespace", "the wi-fi PowerShot 500-42 xyz", f(type, "catenate_all", "true"));
      run("whitespace", "a -- b ++ c", f(type));
      run("whitespace", "-- a", f(type));
      run("whitespace", "a the wi-fi", f("stop", "stopwords", "the"), f(type, "catenate_words", "true"));
      run("whitespace", "the wi-fi", f("stop", "stopwords", "the"), f(type, "preserve_original", "true"));
      run("whitespace", "wi-fi hi-fi", f(type, "protected_words", "wi-fi"));
      run("whitespace", "$100 10%", f(type, "type_table", "$ => DIGIT", "type_table", "% => DIGIT"));
      run("whitespace", "wifi", f("synonym_graph", "synonyms", "wifi => wi-fi"), f(type));
      run("whitespace", "wifi", f("synonym_graph", "synonyms", "wifi => wi-fi"), f(type, "adjust_offsets", "false"));
      run("whitespace", "foo-bar baz-qux", f(type, "catenate_words", "true", "preserve_original", "true"));
    }
    String[] shText = {"please divide this sentence into shingles", "one", "one two", "a the b c the d",
        "the a", "a b the", "x the the the y"};
    String[][] shCfg = {
        {},
        {"max_shingle_size", "3"},
        {"min_shingle_size", "3", "max_shingle_size", "3"},
        {"output_unigrams", "false"},
        {"output_unigrams", "false", "max_shingle_size", "3"},
        {"output_unigrams", "false", "output_unigrams_if_no_shingles", "true"},
        {"output_unigrams", "false", "min_shingle_size", "3", "max_shingle_size", "4", "output_unigrams_if_no_shingles", "true"},
        {"token_separator", "", "filler_token", ""},
        {"token_separator", "+", "filler_token", "FILL", "max_shingle_size", "4"},
    };
    for (String[] cfg : shCfg) {
      for (String text : shText) run("whitespace", text, f("stop", "stopwords", "the"), f("shingle", cfg));
    }
    String[] ngText = {"abcde", "ab", "a", "𝄞x𝄞yz", "quick fox"};
    String[][] ngCfg = {
        {}, {"min_gram", "2", "max_gram", "3"}, {"min_gram", "3", "max_gram", "3", "preserve_original", "true"},
        {"min_gram", "1", "max_gram", "1"}, {"preserve_original", "true"},
    };
    for (String type : new String[] {"ngram", "edge_ngram"}) {
      for (String[] cfg : ngCfg) {
        for (String text : ngText) run("whitespace", text, f(type, cfg));
      }
      run("whitespace", "a the quick", f("stop", "stopwords", "the"), f(type, "min_gram", "2", "max_gram", "3"));
    }
    run("whitespace", "abcdef", f("edge_ngram", "min_gram", "2", "max_gram", "4"));
    randomized(new Random(42));
    System.out.println(")GF\"");
    System.err.println(count + " cases");
  }
}
