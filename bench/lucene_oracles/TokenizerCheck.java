import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.*;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizer;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizerConfig;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.path.PathHierarchyTokenizer;
import org.apache.lucene.analysis.path.ReversePathHierarchyTokenizer;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.pattern.SimplePatternSplitTokenizer;
import org.apache.lucene.analysis.pattern.SimplePatternTokenizer;
import org.apache.lucene.analysis.standard.ClassicTokenizer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.standard.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.th.ThaiTokenizer;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.apache.lucene.util.AttributeFactory;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.RuleBasedBreakIterator;
import com.ibm.icu.util.ULocale;

// Records what Lucene 8.7's tokenizers emit, as OpenSearch's tokenizer factories configure them, for
// tests/unit/analyzers/tokenizer_cases.inc (see README.md). Output, one block per case:
//   C <tab> type <tab> text <tab> key <tab> value ...      (the case: tokenizer type, text, settings)
//   T <tab> term <tab> start <tab> end <tab> position <tab> type <tab> position_length
//   E <tab> end_position                                   (last position + 1, 0 without tokens)
// Tabs, newlines, carriage returns and backslashes in texts and terms are escaped as \t \n \r \\.
//
// icu_tokenizer: Debian's icu4j (72) cannot read the break rules Lucene 8.7 ships compiled for ICU 62
// (Default.brk), so this oracle compiles their source (which the .brk file carries) with icu4j 72 and
// configures ICUTokenizer as DefaultICUTokenizerConfig(cjkAsWords=true, myanmarAsWords=true) does:
// Han/Hiragana/Katakana runs go to ICU's root word iterator (CJK dictionary), everything else to the
// Lucene rules; types from rule statuses as that class maps them.
public class TokenizerCheck {
  static String ruleSource() throws IOException {
    InputStream in = ICUTokenizer.class.getResourceAsStream("Default.brk");
    byte[] b = in.readAllBytes();
    String s = new String(b, StandardCharsets.UTF_16BE);
    int from = s.indexOf("!!chain");
    int to = s.indexOf('\0', from);
    return s.substring(from, to);
  }

  static final class Config extends ICUTokenizerConfig {
    final RuleBasedBreakIterator lucene;
    final RuleBasedBreakIterator cjk = (RuleBasedBreakIterator) BreakIterator.getWordInstance(ULocale.ROOT);
    Config(String rules) { lucene = new RuleBasedBreakIterator(rules); }
    @Override public boolean combineCJ() { return true; }
    @Override public RuleBasedBreakIterator getBreakIterator(int script) {
      return (RuleBasedBreakIterator) (script == UScript.JAPANESE ? cjk : lucene).clone();
    }
    @Override public String getType(int script, int status) {
      switch (status) {
        case 400: return StandardTokenizer.TOKEN_TYPES[StandardTokenizer.IDEOGRAPHIC];
        case 300: return StandardTokenizer.TOKEN_TYPES[script == UScript.HIRAGANA ? StandardTokenizer.HIRAGANA : StandardTokenizer.KATAKANA];
        case 200: return StandardTokenizer.TOKEN_TYPES[script == UScript.HANGUL ? StandardTokenizer.HANGUL : StandardTokenizer.ALPHANUM];
        case 100: return StandardTokenizer.TOKEN_TYPES[StandardTokenizer.NUM];
        case 299: return StandardTokenizer.TOKEN_TYPES[StandardTokenizer.EMOJI];
        default: return "<OTHER>";
      }
    }
  }
  static Config icuConfig;

  // OpenSearch's CharMatcher classes (ngram token_chars, char_group).
  static boolean punctuation(int c) {
    switch (Character.getType(c)) {
      case Character.START_PUNCTUATION: case Character.END_PUNCTUATION: case Character.OTHER_PUNCTUATION:
      case Character.CONNECTOR_PUNCTUATION: case Character.DASH_PUNCTUATION:
      case Character.INITIAL_QUOTE_PUNCTUATION: case Character.FINAL_QUOTE_PUNCTUATION: return true;
      default: return false;
    }
  }
  static boolean symbol(int c) {
    switch (Character.getType(c)) {
      case Character.CURRENCY_SYMBOL: case Character.MATH_SYMBOL: case Character.OTHER_SYMBOL:
      case Character.MODIFIER_SYMBOL: return true;
      default: return false;
    }
  }
  static java.util.function.IntPredicate tokenChars(Map<String, String> s) {
    String list = s.get("token_chars");
    if (list == null) return null;
    java.util.function.IntPredicate p = c -> false;
    for (String cls : list.split(",")) {
      java.util.function.IntPredicate q;
      switch (cls) {
        case "letter": q = Character::isLetter; break;
        case "digit": q = Character::isDigit; break;
        case "whitespace": q = Character::isWhitespace; break;
        case "punctuation": q = TokenizerCheck::punctuation; break;
        case "symbol": q = TokenizerCheck::symbol; break;
        case "custom": { String chars = s.get("custom_token_chars"); q = c -> chars.indexOf(c) >= 0; break; }
        default: throw new IllegalArgumentException(cls);
      }
      p = p.or(q);
    }
    return p;
  }

  static char escapedChar(String c) {
    switch (c.charAt(1)) {
      case '\\': return '\\';
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'u': return (char) Integer.parseInt(c.substring(2), 16);
      default: throw new IllegalArgumentException(c);
    }
  }

  static Tokenizer make(String type, Map<String, String> s) throws Exception {
    int maxLen = Integer.parseInt(s.getOrDefault("max_token_length", "255"));
    switch (type) {
      case "icu_tokenizer": return new ICUTokenizer(icuConfig);
      case "uax_url_email": { UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer(); t.setMaxTokenLength(maxLen); return t; }
      case "classic": { ClassicTokenizer t = new ClassicTokenizer(); t.setMaxTokenLength(maxLen); return t; }
      case "thai": return new ThaiTokenizer();
      case "pattern": {
        int flags = 0;
        for (String f : s.getOrDefault("flags", "").split("\\|")) {
          switch (f) {
            case "": break;
            case "CASE_INSENSITIVE": flags |= Pattern.CASE_INSENSITIVE; break;
            case "MULTILINE": flags |= Pattern.MULTILINE; break;
            case "DOTALL": flags |= Pattern.DOTALL; break;
            case "UNICODE_CASE": flags |= Pattern.UNICODE_CASE; break;
            case "COMMENTS": flags |= Pattern.COMMENTS; break;
            case "LITERAL": flags |= Pattern.LITERAL; break;
            case "UNIX_LINES": flags |= Pattern.UNIX_LINES; break;
            case "UNICODE_CHARACTER_CLASS": flags |= Pattern.UNICODE_CHARACTER_CLASS; break;
            default: throw new IllegalArgumentException(f);
          }
        }
        return new PatternTokenizer(Pattern.compile(s.getOrDefault("pattern", "\\W+"), flags),
                                    Integer.parseInt(s.getOrDefault("group", "-1")));
      }
      case "simple_pattern": return new SimplePatternTokenizer(s.getOrDefault("pattern", ""));
      case "simple_pattern_split": return new SimplePatternSplitTokenizer(s.getOrDefault("pattern", ""));
      case "char_group": {
        Set<Integer> chars = new HashSet<>();
        boolean[] on = new boolean[5];
        for (String c : s.get("tokenize_on_chars").split(",,")) {
          if (c.length() == 1) chars.add((int) c.charAt(0));
          else if (c.charAt(0) == '\\') chars.add((int) escapedChar(c));
          else on[Arrays.asList("whitespace", "letter", "digit", "punctuation", "symbol").indexOf(c)] = true;
        }
        return new CharTokenizer(AttributeFactory.DEFAULT_ATTRIBUTE_FACTORY, maxLen) {
          @Override protected boolean isTokenChar(int c) {
            if (on[0] && Character.isWhitespace(c)) return false;
            if (on[1] && Character.isLetter(c)) return false;
            if (on[2] && Character.isDigit(c)) return false;
            if (on[3] && punctuation(c)) return false;
            if (on[4] && symbol(c)) return false;
            return !chars.contains(c);
          }
        };
      }
      case "ngram":
      case "edge_ngram": {
        int min = Integer.parseInt(s.getOrDefault("min_gram", "1"));
        int max = Integer.parseInt(s.getOrDefault("max_gram", "2"));
        java.util.function.IntPredicate p = tokenChars(s);
        if (type.equals("ngram")) {
          if (p == null) return new NGramTokenizer(min, max);
          return new NGramTokenizer(min, max) { @Override protected boolean isTokenChar(int c) { return p.test(c); } };
        }
        if (p == null) return new EdgeNGramTokenizer(min, max);
        return new EdgeNGramTokenizer(min, max) { @Override protected boolean isTokenChar(int c) { return p.test(c); } };
      }
      case "path_hierarchy": {
        char delim = s.getOrDefault("delimiter", "/").charAt(0);
        char repl = s.getOrDefault("replacement", String.valueOf(delim)).charAt(0);
        int skip = Integer.parseInt(s.getOrDefault("skip", "0"));
        int buf = Integer.parseInt(s.getOrDefault("buffer_size", "1024"));
        if (Boolean.parseBoolean(s.getOrDefault("reverse", "false"))) return new ReversePathHierarchyTokenizer(buf, delim, repl, skip);
        return new PathHierarchyTokenizer(buf, delim, repl, skip);
      }
      default: throw new IllegalArgumentException(type);
    }
  }

  static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  static void run(String type, String text, String... kv) throws Exception {
    Map<String, String> s = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) s.put(kv[i], kv[i + 1]);
    StringBuilder line = new StringBuilder("C\t" + type + "\t" + esc(text));
    for (Map.Entry<String, String> e : s.entrySet()) line.append('\t').append(esc(e.getKey())).append('\t').append(esc(e.getValue()));
    System.out.println(line);
    Tokenizer t = make(type, s);
    t.setReader(new StringReader(text));
    CharTermAttribute term = t.addAttribute(CharTermAttribute.class);
    OffsetAttribute off = t.addAttribute(OffsetAttribute.class);
    PositionIncrementAttribute inc = t.addAttribute(PositionIncrementAttribute.class);
    PositionLengthAttribute len = t.addAttribute(PositionLengthAttribute.class);
    TypeAttribute typ = t.addAttribute(TypeAttribute.class);
    t.reset();
    int pos = -1;
    while (t.incrementToken()) {
      pos += inc.getPositionIncrement();
      System.out.println("T\t" + esc(term.toString()) + "\t" + off.startOffset() + "\t" + off.endOffset() + "\t" + pos + "\t"
                         + typ.type() + "\t" + len.getPositionLength());
    }
    t.end();
    pos += inc.getPositionIncrement();
    System.out.println("E\t" + (pos + 1));
    t.close();
  }

  static String repeat(String s, int n) { StringBuilder b = new StringBuilder(); for (int i = 0; i < n; i++) b.append(s); return b.toString(); }

  public static void main(String[] a) throws Exception {
    icuConfig = new Config(ruleSource());
    String[] texts = {
      "The quick brown fox's jumped over 2 lazy dogs.",
      "Visit https://www.example.com/path?q=1&x=y#frag or email john.doe@example.co.uk today!",
      "東京都に住んでいます。カタカナとひらがな、漢字。",
      "สวัสดีครับ ผมชื่อสมชาย ภาษาไทยง่ายนิดเดียว",
      "emoji 😀👍🏽 ❤️ 🇺🇸 1️⃣ #️⃣ 👨‍👩‍👧 ©️ © ™ 〰",
      "punctuation... (parens) [brackets] {braces} --dashes-- a/b\\c a_b",
      repeat("a", 300) + " short",
      "한국어 텍스트 처리 123,456.78 3.14 v1.2.3 ００１",
      "ລາວສາມາດ ភាសាខ្មែរ မြန်မာဘာသာ",
      "/usr/local/bin/python3",
      "www.site.co.uk",
      "Hello\tWorld\nNew-line text_with_underscores CamelCase\r\nend",
      "Ünïcödé Straße naïve café 𝒜𝒷𝒸 𠀀𠀁 e\u0301te\u0301",
      "",
      "x@y.z 192.168.0.1 http://[::1]:8080/ ftp://user:pass@ftp.example.org/file.txt mailto:a@b.com HTTP://EXAMPLE.ORG",
      "Русский текст и English mixed 中文 text العربية עברית ש\"ח",
      "I.B.M. AT&T O'Reilly's wi-fi 1-800-555-1212 U.S.A. $100 50% x+y=z",
      "１２３ＡＢＣ ｶﾀｶﾅ 日本語のテキスト、漢字かな交じり文",
      "    leading and trailing spaces   ",
    };
    for (String t : texts) run("icu_tokenizer", t);
    run("icu_tokenizer", repeat("word ", 900) + "end");
    run("icu_tokenizer", repeat("x", 5000) + " y");
    for (String t : texts) run("uax_url_email", t);
    String urls = "see http://example.com, www.example.com/a?b=c and foo.bar@baz.museum or <a@b.co> at example.com. "
        + "https://user@host.example.com:8443/p/a;x=1/t%20h?q#f mail@[127.0.0.1] \"quoted\"@example.org john@localhost"
        + " file:///etc/passwd ftp://ftp.x.org/pub/file;type=i http://1.2.3.4/ sub.domain.co.uk/path. nope.notatld";
    run("uax_url_email", urls);
    run("uax_url_email", urls, "max_token_length", "10");
    run("uax_url_email", texts[0], "max_token_length", "3");
    run("classic", urls);
    for (int i : new int[] {0, 1, 2, 5, 7, 12, 16}) run("classic", texts[i]);
    run("classic", texts[16], "max_token_length", "4");
    run("thai", texts[3]);
    run("thai", "Thai ภาษาไทย and English 123 mixed");

    for (int i : new int[] {0, 5, 11, 12, 13, 15, 18}) run("pattern", texts[i]);
    run("pattern", "a,b,,c, d ,", "pattern", ",");
    run("pattern", "a,b,,c, d ,", "pattern", "\\s*,\\s*");
    run("pattern", "'one' 'two' 'three' '' 'x'", "pattern", "'([^']*)'", "group", "1");
    run("pattern", "key=value; k2=v2", "pattern", "(\\w+)=(\\w+)", "group", "2");
    run("pattern", "key=value; k2=v2", "pattern", "(\\w+)=(\\w+)", "group", "0");
    run("pattern", "aXbxcXXd", "pattern", "x", "flags", "CASE_INSENSITIVE");
    run("pattern", "café naïve Über", "pattern", "\\W+");
    run("pattern", "café naïve Über", "pattern", "\\W+", "flags", "UNICODE_CHARACTER_CLASS");
    run("pattern", "abc", "pattern", "");
    run("pattern", "abcab", "pattern", "b*");
    run("pattern", "line1\nline2\r\nline3", "pattern", ".+", "group", "0");
    run("pattern", "tab\tsep\u000Bvt\u00A0nbsp", "pattern", "\\s");
    run("pattern", "12ab34", "pattern", "\\d", "group", "0");
    run("pattern", "a1b22c333", "pattern", "[\\d]+");
    run("pattern", "αβγ δεζ", "pattern", "[^\\w]");
    run("pattern", "CamelCaseString", "pattern", "(?<=[a-z])(?=[A-Z])");
    run("pattern", "x.y.z", "pattern", ".", "flags", "LITERAL");
    run("pattern", "😀a😀b", "pattern", "a");

    run("simple_pattern", "123-456-7890 and 42", "pattern", "[0-9]{3}");
    run("simple_pattern", "aaa bb a", "pattern", "a+");
    run("simple_pattern_split", "a_b__c_", "pattern", "_");
    run("simple_pattern_split", "one, two,three", "pattern", ", ?");

    String cg = "Hello, world! foo-bar\tbaz\nqux 123abc $5 x+y";
    run("char_group", cg, "tokenize_on_chars", "whitespace,,punctuation");
    run("char_group", cg, "tokenize_on_chars", "-,,\\n,,\\t, ");
    run("char_group", cg, "tokenize_on_chars", "letter");
    run("char_group", cg, "tokenize_on_chars", "digit,,symbol,,whitespace");
    run("char_group", cg, "tokenize_on_chars", "whitespace", "max_token_length", "3");
    run("char_group", "a\\b\u0041c", "tokenize_on_chars", "\\\\,,\\u0041");
    run("char_group", "𝒜𝒷𝒸 𝒜𝒷𝒸𝒜", "tokenize_on_chars", "whitespace", "max_token_length", "2");
    run("char_group", texts[12], "tokenize_on_chars", "whitespace");

    run("ngram", "abcde");
    run("ngram", "Quick Fox");
    run("ngram", "Quick Fox", "min_gram", "2", "max_gram", "3");
    run("ngram", "Quick Fox 2x-y", "min_gram", "2", "max_gram", "3", "token_chars", "letter,digit");
    run("ngram", "a+b-c_d e", "min_gram", "1", "max_gram", "2", "token_chars", "letter,custom", "custom_token_chars", "+_");
    run("ngram", "x, y! z?", "token_chars", "punctuation,whitespace");
    run("ngram", "𝒜𝒷𝒸d", "min_gram", "2", "max_gram", "3");
    run("ngram", "a", "min_gram", "2", "max_gram", "3");
    run("ngram", "", "min_gram", "1", "max_gram", "1");
    run("ngram", repeat("ab", 700), "min_gram", "3", "max_gram", "3");
    run("ngram", "$5 + €3 = x", "token_chars", "symbol");
    run("edge_ngram", "Quick Fox");
    run("edge_ngram", "Quick Fox 2x-y", "min_gram", "1", "max_gram", "5", "token_chars", "letter,digit");
    run("edge_ngram", "Quick Fox", "min_gram", "2", "max_gram", "10", "token_chars", "letter");
    run("edge_ngram", "a b cd", "min_gram", "2", "max_gram", "3", "token_chars", "letter");
    run("edge_ngram", "𝒜𝒷𝒸 de", "min_gram", "1", "max_gram", "3", "token_chars", "letter");
    run("edge_ngram", "wi-fi hot_spot", "min_gram", "1", "max_gram", "4", "token_chars", "letter,custom", "custom_token_chars", "-");

    for (String p : new String[] {"/usr/local/bin/python3", "usr/local/", "/a//b/", "", "/", "//", "noslash", "a/b/c/d/e"}) {
      run("path_hierarchy", p);
      run("path_hierarchy", p, "skip", "1");
      run("path_hierarchy", p, "reverse", "true");
      run("path_hierarchy", p, "reverse", "true", "skip", "1");
    }
    run("path_hierarchy", "one-two-three", "delimiter", "-", "replacement", "/");
    run("path_hierarchy", "one-two-three", "delimiter", "-", "replacement", "/", "skip", "2");
    run("path_hierarchy", "www.site.co.uk", "delimiter", ".", "reverse", "true");
    run("path_hierarchy", "www.site.co.uk", "delimiter", ".", "reverse", "true", "skip", "2");
    run("path_hierarchy", "C:\\Users\\me\\file.txt", "delimiter", "\\", "replacement", "/", "buffer_size", "4");
  }
}
