import java.io.*;
import java.net.IDN;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.ClassicTokenizer;
import org.apache.lucene.analysis.standard.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.tokenattributes.*;

// Character classes and the TLD list compiled into Lucene 8.7's JFlex scanners, recovered by
// probing the tokenizers (the grammars are public; their tables are generated from Unicode data of
// the JFlex version and an IANA snapshot, which this reads back from the compiled classes):
//   java TokenizerTables tlds <candidates.txt>   TLDs (one per line, Unicode or ASCII) that
//        UAX29URLEmailTokenizer accepts: "a.<tld>/x" is one <URL> token. Prints them lower-case ASCII.
//   java TokenizerTables dfatlds    every TLD of UAX29URLEmailTokenizerImpl's compiled DFA (read by
//        reflection): the strings s over [a-z0-9-] for which "a." s "/" ends in an accepting state of
//        the <URL> action. Lower-case ASCII, one per line.
//   java TokenizerTables classic    ClassicTokenizer's LETTER and [:digit:] (JFlex, Unicode 3.0) as
//        ranges: "L lo hi" / "D lo hi" (hex).
//   java TokenizerTables word       UAX29URLEmailTokenizer's \w (JFlex, Unicode 9.0) as "W lo hi"
//        ranges: code points c for which "a.com" + c is not a <URL> followed by more.
public class TokenizerTables {
  static List<String[]> tokens(Tokenizer t, String text) throws IOException {
    t.setReader(new StringReader(text));
    CharTermAttribute term = t.addAttribute(CharTermAttribute.class);
    TypeAttribute typ = t.addAttribute(TypeAttribute.class);
    t.reset();
    List<String[]> out = new ArrayList<>();
    while (t.incrementToken()) out.add(new String[] {term.toString(), typ.type()});
    t.end();
    t.close();
    return out;
  }

  static void ranges(String tag, boolean[] in) {
    int c = 0;
    while (c < in.length) {
      if (!in[c]) { c++; continue; }
      int lo = c;
      while (c < in.length && in[c]) c++;
      System.out.printf("%s %X %X%n", tag, lo, c - 1);
    }
  }

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "tlds": {
        TreeSet<String> out = new TreeSet<>();
        UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
        for (String line : Files.readAllLines(Paths.get(a[1]))) {
          line = line.trim();
          if (line.isEmpty()) continue;
          String ascii;
          try { ascii = IDN.toASCII(line).toLowerCase(Locale.ROOT); } catch (Exception e) { continue; }
          List<String[]> k = tokens(t, "a." + ascii + "/x");
          if (k.size() == 1 && k.get(0)[1].equals("<URL>") && k.get(0)[0].equals("a." + ascii + "/x")) out.add(ascii);
        }
        for (String s : out) System.out.println(s);
        break;
      }
      case "dfatlds": {
        Class<?> k = Class.forName("org.apache.lucene.analysis.standard.UAX29URLEmailTokenizerImpl");
        java.util.function.Function<String, Object> f = name -> {
          try { java.lang.reflect.Field fl = k.getDeclaredField(name); fl.setAccessible(true); return fl.get(null); }
          catch (Exception e) { throw new RuntimeException(e); }
        };
        char[] cmap = (char[]) f.apply("ZZ_CMAP");
        int[] rowmap = (int[]) f.apply("ZZ_ROWMAP"), trans = (int[]) f.apply("ZZ_TRANS");
        int[] attr = (int[]) f.apply("ZZ_ATTRIBUTE"), action = (int[]) f.apply("ZZ_ACTION"), lex = (int[]) f.apply("ZZ_LEXSTATE");
        int n = rowmap.length;
        java.util.function.BiFunction<Integer, Character, Integer> step = (st, ch) -> st < 0 ? -1 : trans[rowmap[st] + cmap[ch]];
        int start = lex[0];
        int urlAction = -1;
        { int s0 = start; for (char ch : "a.com/".toCharArray()) s0 = step.apply(s0, ch); urlAction = action[s0]; }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-";
        // co-reachable: states from which alphabet* '/' reaches an accepting URL state
        boolean[] good = new boolean[n];
        for (int st = 0; st < n; st++) { int t2 = step.apply(st, '/'); good[st] = t2 >= 0 && (attr[t2] & 1) == 1 && action[t2] == urlAction; }
        boolean changed = true;
        while (changed) {
          changed = false;
          for (int st = 0; st < n; st++) {
            if (good[st]) continue;
            for (char ch : alphabet.toCharArray()) { int t2 = step.apply(st, ch); if (t2 >= 0 && good[t2]) { good[st] = true; changed = true; break; } }
          }
        }
        int sa = step.apply(step.apply(start, 'a'), '.');
        TreeSet<String> out = new TreeSet<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {sa, ""});
        while (!stack.isEmpty()) {
          Object[] e = stack.pop();
          int st = (Integer) e[0]; String s = (String) e[1];
          if (s.length() > 0) { int t2 = step.apply(st, '/'); if (t2 >= 0 && (attr[t2] & 1) == 1 && action[t2] == urlAction) out.add(s); }
          if (s.length() > 70) throw new IllegalStateException("cycle at " + s);
          for (char ch : alphabet.toCharArray()) { int t2 = step.apply(st, ch); if (t2 >= 0 && good[t2]) stack.push(new Object[] {t2, s + ch}); }
        }
        for (String s : out) System.out.println(s);
        break;
      }
      case "classic": {
        boolean[] letter = new boolean[0x10000], digit = new boolean[0x10000];
        ClassicTokenizer t = new ClassicTokenizer();
        for (int c = 0; c < 0x10000; c++) {
          if (c >= 0xD800 && c <= 0xDFFF) continue;
          String s = String.valueOf((char) c);
          List<String[]> k = tokens(t, s);
          if (k.isEmpty() || !k.get(0)[1].equals("<ALPHANUM>")) continue;
          List<String[]> apo = tokens(t, s + "'" + s);
          letter[c] = apo.size() == 1 && apo.get(0)[1].equals("<APOSTROPHE>");
          List<String[]> num = tokens(t, "x-" + s);
          digit[c] = num.size() == 1 && num.get(0)[1].equals("<NUM>");
        }
        ranges("L", letter);
        ranges("D", digit);
        break;
      }
      case "word": {
        boolean[] w = new boolean[0x110000];
        UAX29URLEmailTokenizer t = new UAX29URLEmailTokenizer();
        for (int c = 0x80; c < 0x110000; c++) {
          if (c >= 0xD800 && c <= 0xDFFF) continue;
          List<String[]> k = tokens(t, "a.com" + new String(Character.toChars(c)));
          w[c] = !(k.size() >= 1 && k.get(0)[0].equals("a.com") && k.get(0)[1].equals("<URL>"));
        }
        ranges("W", w);
        break;
      }
      default: throw new IllegalArgumentException(a[0]);
    }
  }
}
