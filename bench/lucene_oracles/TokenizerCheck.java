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
    moreCases();
  }

  // URLs, e-mail addresses, hosts and words around them; classic's token kinds; Thai; Lucene RegExp
  // patterns. Fixed texts, then seeded random strings over the characters the grammars care about.
  static void moreCases() throws Exception {
    String[] urlTexts = {
      "http://example.com:8080/a/b/c.html?x=1&y=%20z;w#frag-ment and https://EXAMPLE.org/ HTTP://x.y:65535",
      "http://[2001:db8::1]:80/p http://[::ffff:192.168.0.1]/ [fe80::1] 10.0.0.255:22/x 256.1.1.1 1.2.3.4.5 01.02.003.4",
      "ftp://u:p@ftp.x.org:21/pub/a.txt;type=a#f file:///etc/hosts file://host/C:/dir/f%20x ftp://x.org no-path",
      "john.doe+tag@example.com \"quoted name\"@example.org \"a\\\"b\"@x.io x@[127.0.0.1] y@[IPv6:::1] z@[literal] a@b",
      "user_name@sub.example.co.uk, first.last@EXAMPLE.COM; o'brien@x.ie a..b@c.com .a@b.com a.@b.com 1@2.com",
      "mailto:someone@example.com MAILTO:x@y.org mailto:nobody mailto:a@b",
      "example.com example.comx example.com-foo example.com_bar example.com. example.com.. www.example.com/",
      "sub.domain.co.uk/path. test.c test.co test.com test.coop test.comm a.b.c.d.museum x.statoil y.onion z.xyz",
      "see (http://example.com/x), \"www.example.com\" <a@b.com> [http://c.org] {d.net} 'e.io' http://example.com.",
      "exam-ple.co.uk -example.com example-.com ex--ample.com 3com.com 123.com 1.com a-b.c-d.com",
      "example.comé example.com😀 example.coḿ example.com x example.com x example.com‍x",
      "https://例え.jp/パス http://xn--r8jz45g.jp/ http://ドメイン.com café.com naïve@café.fr",
      "www.google.com/search?q=lucene+tokenizer&hl=en#results 😀 emoji.com 👍🏽@x.com 🇺🇸.com 1️⃣.org",
      "Русский http://пример.рф/ текст test@пример.рф 中文 http://中文.com 漢字.jp",
      "สวัสดี http://th.example.co.th/ภาษา ไทย test@example.co.th ครับ",
      "http://a.b/%zz http://a.b/%4 http://a.b/%41 http://user:pw@host:99/ http://@x.com http://:@x.com/",
      "ftp:/broken http:/also http//nope https:// http://-bad.com/ http://bad-.com/ http://.com/",
      "a@b.c@d.com x@y@z.com @example.com example@ @ user@localhost user@example",
      "1.2.3.4 1.2.3.4/ 1.2.3.4:80 [::1] x.com:99999 x.com:123456/ y.org:0",
      "The URL is http://www.apache.org/licenses/LICENSE-2.0.txt; read it!",
      "foo.bar.baz foo.bar.baz.com 2.5 v1.2 1.5.x 3.14.com e.g. i.e. U.S.A.",
      "wi-fi hot_spot o'neil's don't 1,000,000 1.000,5 $10.00 50% #hashtag @mention",
      "", "   ", "x", "a.b", ".com", "com.", "@", "http://", "www.", "a@b.com",
    };
    for (String t : urlTexts) run("uax_url_email", t);
    String longUrl = "http://example.com/" + repeat("abcdefghij/", 30) + "end?x=1";
    run("uax_url_email", longUrl);
    run("uax_url_email", "before " + longUrl + " after", "max_token_length", "50");
    run("uax_url_email", repeat("abcdefghij", 30) + "@example.com");
    for (String m : new String[] {"1", "2", "5", "7", "12", "20", "40"}) {
      run("uax_url_email", urlTexts[0], "max_token_length", m);
      run("uax_url_email", urlTexts[3], "max_token_length", m);
    }
    run("uax_url_email", "example.com example.comx", "max_token_length", "11");
    run("uax_url_email", "example.comx example.com", "max_token_length", "12");
    run("uax_url_email", repeat("x", 300) + ".com y", "max_token_length", "300");

    String[] classicTexts = {
      "AT&T Excite@Home O'Reilly's you're I.B.M. U.S.A. e.g. www.example.com. 192.168.0.1 1.2.3",
      "john.doe@example.com first-last@x-y.org a_b@c.d user@host support@sub.example.co.uk",
      "R2-D2 C-3PO 1-800-555-1212 10/20/2020 3.14159 1,000 v1.2.3 model_x11 a_1 ab-12-cd",
      "中文字符 日本語のテキスト カタカナ 한국어 텍스트 ภาษาไทย ๑๒๓ Ünïcödé café naïve",
      "tab\there\r\nnew\fline\u000Bvt\u0085nel\u2028ls end",
      "it's rock'n'roll ''quoted'' 'single' rock''n",
      "A.B.C.D. a.b. A. AB.CD. 1.2. x.y.z. U.S.A",
      "Wal-Mart Procter&Gamble Yahoo!Inc. Hello@World foo&bar& @x &y",
      "😀 emoji 👍🏽 ok 𝒜𝒷𝒸 𠀀 surrogate",
    };
    for (String t : classicTexts) run("classic", t);
    run("classic", classicTexts[0], "max_token_length", "3");
    run("classic", classicTexts[1], "max_token_length", "10");
    run("classic", repeat("y", 300) + " z.y. " + repeat("q", 256));

    String[] thaiTexts = {
      "ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอน 123 คำ และมีตัวเลขไทย ๑๒๓๔",
      "ผมชอบกินข้าวผัด. คุณชอบอะไร? ฉันชอบ Pizza 2 ชิ้น!",
      "กรุงเทพมหานคร is the capital of Thailand, population 8,305,218 (2010).",
      "Hello world. This is English only! Numbers 3.14 and e-mail test@example.com",
      "การทดสอบ\nบรรทัดใหม่\r\nและย่อหน้า",
      "ลาว ສະບາຍດີ เขมร សួស្ដី พม่า မင်္ဂလာပါ",
      "   ", "", "ก", "ๆ ฯ ะ",
    };
    for (String t : thaiTexts) run("thai", t);
    run("thai", repeat("สวัสดีครับ ", 120));
    run("thai", repeat("สวัสดีครับ\n", 120));
    run("thai", repeat("ab cd ", 200) + "\n" + repeat("ภาษาไทย ", 100));

    String pt = "foo123 bar-456 abcabc aaa 😀x😀 ÀÉÎ 12.5 <tag> \"q\" a.b.c x_y";
    String[] patterns = {
      "[a-z]+", "[0-9]+", "a|ab|abc", "abc|b", "(abc)+", "a*", "x*", "[^ ]+", ".", "..", "a{2,3}", "a{2}", "a{2,}",
      "x<1-100>", "<01-10>", "<0-5>", "<7-7>", "<1-100>|a", "\"abc\"", "[a-c]+&~(abc)", "~(a*)", "@", "#", "()", "[😀]", "😀.", "[À-Î]+",
      "\\.", "[.]", "[\\-]", "a+b*|c", "(a|b)*c", "[^a-z0-9 ]+", "bar-?[0-9]*", "[0-9]+(\\.[0-9]+)?",
    };
    for (String p : patterns) {
      run("simple_pattern", pt, "pattern", p);
      run("simple_pattern_split", pt, "pattern", p);
    }
    run("simple_pattern", "xab", "pattern", "abc|b");
    run("simple_pattern", "xabd b", "pattern", "abc|b");
    run("simple_pattern_split", "xab", "pattern", "abc|b");
    run("simple_pattern_split", "a-b--c", "pattern", "-");
    run("simple_pattern_split", "--a--", "pattern", "-+");
    run("simple_pattern_split", "a😀b😀😀c", "pattern", "😀");
    run("simple_pattern", "", "pattern", "a");
    run("simple_pattern_split", "", "pattern", "a");
    run("simple_pattern_split", "abc", "pattern", "");
    run("simple_pattern", "abc", "pattern", "");

    Random r = new Random(8_7_0);
    String urlChars = "abcxyzABCWmo0123459.:/@-_?#%[]\"!+&=~; .....@@@//comorgiouk\u00e9\u0301\u4e2d\u0e01\ud83d\ude00";
    for (int i = 0; i < 150; i++) run("uax_url_email", randomText(r, urlChars, 6 + r.nextInt(50)));
    for (int i = 0; i < 30; i++) run("uax_url_email", randomText(r, urlChars, 30 + r.nextInt(40)), "max_token_length", String.valueOf(1 + r.nextInt(12)));
    String classicChars = "abcXYZ0129.-_/,'&@ \t\r\n..--'@\u4e2d\u3042\u0e01\u0e31\uac00\u00e9\u0301\u00aa";
    for (int i = 0; i < 150; i++) run("classic", randomText(r, classicChars, 5 + r.nextInt(40)));
    for (int i = 0; i < 20; i++) run("classic", randomText(r, classicChars, 20 + r.nextInt(30)), "max_token_length", String.valueOf(1 + r.nextInt(6)));
    String patChars = "aabbcc01-_ x";
    String[] randomPatterns = {"a+", "ab|b", "[ab]+c", "(a|b)(a|c)", "a?b", "-+", "[^ab]+", "a.b", "(ab)*c", "~(a+)&[a-c]+"};
    for (int i = 0; i < 60; i++) {
      String t = randomText(r, patChars, 3 + r.nextInt(20));
      String p = randomPatterns[r.nextInt(randomPatterns.length)];
      run("simple_pattern", t, "pattern", p);
      run("simple_pattern_split", t, "pattern", p);
    }
  }

  static String randomText(Random r, String chars, int n) {
    StringBuilder b = new StringBuilder();
    int[] cps = chars.codePoints().toArray();
    for (int i = 0; i < n; i++) b.appendCodePoint(cps[r.nextInt(cps.length)]);
    return b.toString();
  }
}
