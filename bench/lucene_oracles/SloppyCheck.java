import java.util.*;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.store.*;

public class SloppyCheck {
  static Float find(Explanation e) {
    if (e.getDescription().startsWith("phraseFreq=")) return e.getValue().floatValue();
    for (Explanation d : e.getDetails()) { Float f = find(d); if (f != null) return f; }
    return null;
  }
  public static void main(String[] a) throws Exception {
    Random r = new Random(7);
    String[] vocab = {"a", "b", "c", "d", "e", "f"};
    Directory dir = new ByteBuffersDirectory();
    IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(new WhitespaceAnalyzer()));
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int n = 3 + r.nextInt(25);
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < n; k++) { if (k > 0) sb.append(' '); sb.append(vocab[r.nextInt(vocab.length)]); }
      docs.add(sb.toString());
      Document d = new Document();
      d.add(new TextField("f", sb.toString(), Field.Store.NO));
      w.addDocument(d);
    }
    w.close();
    IndexSearcher s = new IndexSearcher(DirectoryReader.open(dir));
    int printed = 0;
    for (int qi = 0; qi < 60 && printed < 400; qi++) {
      int len = 2 + r.nextInt(3);
      List<String> pool = new ArrayList<>(Arrays.asList(vocab));
      Collections.shuffle(pool, r);
      List<String> terms = pool.subList(0, len);
      int slop = 1 + r.nextInt(4);
      PhraseQuery q = new PhraseQuery(slop, "f", terms.toArray(new String[0]));
      TopDocs td = s.search(q, 1000);
      for (ScoreDoc sd : td.scoreDocs) {
        Float f = find(s.explain(q, sd.doc));
        System.out.println(docs.get(sd.doc) + "\t" + String.join(" ", terms) + "\t" + slop + "\t" + f);
        if (++printed >= 400) break;
      }
    }
  }
}
