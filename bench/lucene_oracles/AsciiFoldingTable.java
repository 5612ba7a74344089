import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
public class AsciiFoldingTable {
  public static void main(String[] a) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (int c = 0x80; c <= 0xFFFF; c++) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      char[] in = {(char) c};
      char[] out = new char[8];
      int len = ASCIIFoldingFilter.foldToASCII(in, 0, out, 0, 1);
      String s = new String(out, 0, len);
      if (s.equals(String.valueOf((char) c))) continue;
      StringBuilder lit = new StringBuilder();
      for (char x : s.toCharArray()) {
        if (x == '"' || x == '\\') lit.append('\\').append(x);
        else if (x == '?') lit.append("\\077");
        else lit.append(x);
      }
      b.append(String.format("{0x%04X, \"%s\"},", c, lit));
      if (++n % 6 == 0) b.append('\n'); else b.append(' ');
    }
    System.out.println(b);
  }
}
