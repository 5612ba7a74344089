// Lucene 8.7's QueryBuilder (as OpenSearch 2.x's MatchQuery uses it) over a search analyzer with
// synonym_graph rules: builds match / match_phrase queries for a fixed set of texts, runs them on
// a small one-segment index (standard tokenizer + lowercase, BM25) and prints, per query, Lucene's
// query text, every hit (_id and score, best first) and the top hit's explanation description.
// Output: C++ initializers for tests/unit/query/synonym_query_cases.inc (see README.md).
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

public class SynonymQueryCheck {
  static final String[] DOCS = {
    "new york city has the best pizza",
    "nyc pizza is famous",
    "i watched tv all day",
    "the television was loud in new york",
    "a quick brown fox",
    "a fast car and a speedy boat",
    "free wifi in nyc",
    "wi fi hotspots in new york city and nyc",
    "pizza in new york",
    "the city of york is old and new",
    "fast tv fast",
    "quick tv reviews on television",
    "best pizza in new york city new york city pizza",
    "speedy wifi and fast wi fi",
  };
  static final String RULES = "nyc, new york city\ntv, television\nquick, fast, speedy\nwifi, wi fi\n";

  // type, text, operator and, minimum_should_match (integer or ""), auto phrase, slop
  static final Object[][] QUERIES = {
    {"match", "nyc", false, "", true, 0},
    {"match", "tv", false, "", true, 0},
    {"match", "quick tv", false, "", true, 0},
    {"match", "quick tv", true, "", true, 0},
    {"match", "fast nyc pizza", false, "", true, 0},
    {"match", "fast nyc pizza", true, "", true, 0},
    {"match", "fast nyc pizza", false, "2", true, 0},
    {"match", "new york city pizza", false, "", true, 0},
    {"match", "new york city pizza", true, "", true, 0},
    {"match", "nyc pizza", false, "", false, 0},
    {"match", "nyc pizza", true, "", false, 0},
    {"match", "wifi nyc", false, "", true, 0},
    {"match", "wifi in nyc", true, "", true, 0},
    {"match", "speedy wifi", false, "", true, 0},
    {"match_phrase", "nyc pizza", false, "", true, 0},
    {"match_phrase", "quick tv", false, "", true, 0},
    {"match_phrase", "tv", false, "", true, 0},
    {"match_phrase", "in nyc", false, "", true, 0},
    {"match_phrase", "nyc", false, "", true, 0},
    {"match_phrase", "nyc pizza", false, "", true, 2},
    {"match_phrase", "wifi in new york city", false, "", true, 0},
    {"match_phrase", "fast tv", false, "", true, 0},
    {"match_phrase", "fast tv", false, "", true, 1},
    {"match_phrase", "pizza in nyc", false, "", true, 0},
    {"match_phrase", "best pizza nyc", false, "", true, 3},
  };

  static String cstr(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public static void main(String[] args) throws Exception {
    Analyzer index = new StandardAnalyzer(CharArraySet.EMPTY_SET);
    SolrSynonymParser parser = new SolrSynonymParser(true, true, index);
    parser.parse(new StringReader(RULES));
    final SynonymMap map = parser.build();
    Analyzer search = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer t = new StandardTokenizer();
        TokenStream ts = new SynonymGraphFilter(new LowerCaseFilter(t), map, false);
        return new TokenStreamComponents(t, ts);
      }
    };
    ByteBuffersDirectory dir = new ByteBuffersDirectory();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig(index))) {
      for (int i = 0; i < DOCS.length; i++) {
        Document d = new Document();
        d.add(new StringField("id", Integer.toString(i), Field.Store.YES));
        d.add(new TextField("body", DOCS[i], Field.Store.NO));
        w.addDocument(d);
      }
    }
    IndexSearcher searcher = new IndexSearcher(DirectoryReader.open(dir));
    System.out.println("// Generated by bench/lucene_oracles/SynonymQueryCheck.java (Lucene 8.7); do not edit.");
    for (Object[] q : QUERIES) {
      String type = (String) q[0], text = (String) q[1], msm = (String) q[3];
      boolean and = (Boolean) q[2], auto = (Boolean) q[4];
      int slop = (Integer) q[5];
      QueryBuilder qb = new QueryBuilder(search);
      qb.setAutoGenerateMultiTermSynonymsPhraseQuery(auto);
      Query query = type.equals("match")
          ? qb.createBooleanQuery("body", text, and ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD)
          : qb.createPhraseQuery("body", text, slop);
      if (!msm.isEmpty() && query instanceof BooleanQuery) {  // OpenSearch's minimum_should_match
        BooleanQuery bq = (BooleanQuery) query;
        int optional = 0;
        for (BooleanClause c : bq.clauses()) if (c.getOccur() == BooleanClause.Occur.SHOULD) optional++;
        int n = Math.min(optional, Integer.parseInt(msm));
        if (n > 0) {
          BooleanQuery.Builder b = new BooleanQuery.Builder();
          for (BooleanClause c : bq.clauses()) b.add(c);
          b.setMinimumNumberShouldMatch(n);
          query = b.build();
        }
      }
      TopDocs top = searcher.search(query, 100);
      StringBuilder hits = new StringBuilder();
      String explain = "";
      for (ScoreDoc sd : top.scoreDocs) {
        String id = searcher.doc(sd.doc).get("id");
        hits.append("{").append(cstr(id)).append(", ").append(sd.score).append("f}, ");
        if (explain.isEmpty()) {
          Explanation e = searcher.explain(query, sd.doc);
          explain = e.getDescription().replace(" in " + sd.doc + ")", " in DOC)");
        }
      }
      System.out.println("{" + cstr(type) + ", " + cstr(text) + ", " + and + ", " + cstr(msm) + ", " + auto + ", " + slop
          + ", " + cstr(searcher.rewrite(query).toString()) + ", " + cstr(explain) + ", {" + hits + "}},");
    }
  }
}
