#!/usr/bin/env python3
"""Analysis parity: a running Sift's `_analyze` against Lucene 8.7's analyzers, line by line.

Every line of the text set (default bench/analysis_texts.txt: English, German, French, Spanish,
Russian, Korean, Japanese, Chinese, emoji, URLs, e-mail addresses, numbers, mixed scripts) goes
through POST /_analyze {"analyzer": NAME, "text": LINE} of Sift and through the Lucene oracle
(../shared/bench/lucene/analyze.sh). A line matches when both give the same tokens with the same
offsets (UTF-16 units), positions and types. Prints, per analyzer, how many lines match, and the
first differences.

  build-lang/sift --data /tmp/lang-data --port 9331 &
  bench/analysis_parity.py --url http://127.0.0.1:9331 [--analyzers english,german] [--show 3]

Exit status: 0 when every line matches, 1 when some differ, 2 on errors (Sift or Lucene missing).
An analyzer Sift does not know (a 400) counts as differing on every line and is reported as missing.
"""
import argparse
import http.client
import json
import os
import subprocess
import sys
import urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ANALYZERS = ["standard", "simple", "whitespace", "stop", "keyword", "english", "german", "french", "spanish",
             "russian", "cjk"]
FIELDS = ("token", "start_offset", "end_offset", "position", "type")


def lucene_tokens(script, analyzer, texts):
    data = "".join("%s\t%s\n" % (analyzer, json.dumps(t)) for t in texts)
    p = subprocess.run([script], input=data.encode(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (script, p.stderr.decode(errors="replace")[-500:]))
    lines = p.stdout.decode("utf-8").split("\n")[:-1]  # not splitlines(): U+2028 stays inside a line
    if len(lines) != len(texts):
        raise RuntimeError("%s answered %d lines for %d texts" % (script, len(lines), len(texts)))
    return [[{k: t[k] for k in FIELDS} for t in json.loads(line)["tokens"]] for line in lines]


class Sift:
    def __init__(self, url):
        u = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=60)

    def analyze(self, analyzer, text):
        body = json.dumps({"analyzer": analyzer, "text": text}).encode()
        self.conn.request("POST", "/_analyze", body, {"Content-Type": "application/json"})
        r = self.conn.getresponse()
        payload = json.loads(r.read().decode("utf-8"))
        if r.status != 200:
            return None, payload
        return [{k: t.get(k) for k in FIELDS} for t in payload.get("tokens", [])], None


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return "token %d: lucene %s\n      sift   %s" % (i, json.dumps(x, ensure_ascii=False),
                                                           json.dumps(y, ensure_ascii=False))
    return "lucene %d tokens, sift %d (next: %s)" % (
        len(a), len(b), json.dumps((a[len(b):] or b[len(a):])[0], ensure_ascii=False))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:9331")
    ap.add_argument("--texts", default=os.path.join(REPO, "bench", "analysis_texts.txt"))
    ap.add_argument("--lucene", default=os.path.join(os.path.dirname(REPO), "shared", "bench", "lucene", "analyze.sh"))
    ap.add_argument("--analyzers", default=",".join(ANALYZERS))
    ap.add_argument("--show", type=int, default=3, help="differences printed per analyzer")
    args = ap.parse_args()

    with open(args.texts, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    if not os.path.exists(args.lucene):
        print("Lucene oracle not found: %s" % args.lucene)
        return 2
    sift = Sift(args.url)
    summary, all_match = [], True
    for analyzer in [a for a in args.analyzers.split(",") if a]:
        try:
            expected = lucene_tokens(args.lucene, analyzer, texts)
        except RuntimeError as e:
            print("%s: Lucene failed: %s" % (analyzer, e))
            summary.append((analyzer, None, len(texts), "lucene error"))
            all_match = False
            continue
        matched, shown, note = 0, 0, ""
        for text, want in zip(texts, expected):
            got, error = sift.analyze(analyzer, text)
            if error is not None:
                note = "sift: %s" % error.get("error", {}).get("reason", error)
                break
            if got == want:
                matched += 1
            elif shown < args.show:
                shown += 1
                print("%s: %s\n      %s" % (analyzer, text[:90], first_difference(want, got)))
        summary.append((analyzer, matched, len(texts), note))
        all_match = all_match and matched == len(texts)
    print("\n%-12s %8s" % ("analyzer", "match"))
    for analyzer, matched, total, note in summary:
        print("%-12s %4s/%-4d %s" % (analyzer, "-" if matched is None else matched, total, note))
    return 0 if all_match else 1


if __name__ == "__main__":
    sys.exit(main())
