#!/usr/bin/env python3
"""Measures Sift's `korean` analyzer on the Korean test set (bench/korean/), against Lucene's nori
(OpenSearch's analysis-nori plugin, through ../shared/bench/lucene/analyze.sh) and Sift's `standard`.

(a) Term matching: a query matches a sentence when every token the analyzer makes of the query is
    among the sentence's tokens (what a match query with operator "and" finds). Relevant sentences
    are the annotated ones (third column of sentences.tsv). Reports precision, recall and F1 over
    all (query, sentence) pairs, and per-query misses/false matches with --verbose.
(b) Token agreement with nori: per sentence, the multiset of Sift's korean terms against nori's
    (precision, recall, F1 of terms; share of sentences whose term lists are identical).

Usage: start a Sift (build-ko/sift --data /tmp/ko-data --port 9341), then
    python3 bench/korean_eval.py [--url http://127.0.0.1:9341] [--set main|heldout] [--verbose] [--json]
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ORACLE = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "bench", "lucene", "analyze.sh"))


def load_set(prefix):
    sentences = []
    with open(os.path.join(HERE, "korean", prefix + "sentences.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            nouns = {n for n in (parts[2].split(",") if len(parts) > 2 else []) if n}
            sentences.append({"id": int(parts[0]), "text": parts[1], "nouns": nouns})
    with open(os.path.join(HERE, "korean", prefix + "queries.txt"), encoding="utf-8") as f:
        queries = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    for s in sentences:
        unknown = s["nouns"] - set(queries)
        if unknown:
            sys.exit("sentence %d names nouns that are not queries: %s" % (s["id"], sorted(unknown)))
    return sentences, queries


def sift_terms(url, analyzer, texts):
    out = []
    for text in texts:
        body = json.dumps({"analyzer": analyzer, "text": text}).encode("utf-8")
        req = urllib.request.Request(url + "/_analyze", data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            out.append([t["token"] for t in json.load(r)["tokens"]])
    return out


def nori_terms(texts):
    lines = "".join("nori\t%s\n" % json.dumps(t, ensure_ascii=False) for t in texts)
    p = subprocess.run([ORACLE], input=lines.encode("utf-8"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    out = []
    for line in p.stdout.decode("utf-8").splitlines():
        if line.startswith("{"):
            out.append([t["token"] for t in json.loads(line)["tokens"]])
    if len(out) != len(texts):
        sys.exit("the nori oracle answered %d of %d texts" % (len(out), len(texts)))
    return out


def matching(sentences, queries, sent_terms, query_terms):
    tp = fp = fn = 0
    misses, false_hits = collections.defaultdict(list), collections.defaultdict(list)
    for q, qt in zip(queries, query_terms):
        qset = set(qt)
        for s, st in zip(sentences, sent_terms):
            hit = bool(qset) and qset <= set(st)
            relevant = q in s["nouns"]
            if hit and relevant:
                tp += 1
            elif hit:
                fp += 1
                false_hits[q].append(s["id"])
            elif relevant:
                fn += 1
                misses[q].append(s["id"])
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1,
            "misses": dict(misses), "false_hits": dict(false_hits)}


def agreement(mine, nori):
    common = total_mine = total_nori = identical = 0
    for a, b in zip(mine, nori):
        ca, cb = collections.Counter(a), collections.Counter(b)
        common += sum((ca & cb).values())
        total_mine += len(a)
        total_nori += len(b)
        identical += a == b
    p = common / total_mine if total_mine else 0.0
    r = common / total_nori if total_nori else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "identical_sentences": identical, "sentences": len(mine)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:9341")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--set", choices=["main", "heldout"], default="main",
                    help="main: sentences.tsv (the rules were tuned on it); heldout: heldout_sentences.tsv")
    args = ap.parse_args()
    sentences, queries = load_set("" if args.set == "main" else "heldout_")
    texts = [s["text"] for s in sentences]

    analyzers = {
        "sift korean": (sift_terms(args.url, "korean", texts), sift_terms(args.url, "korean", queries)),
        "sift standard": (sift_terms(args.url, "standard", texts), sift_terms(args.url, "standard", queries)),
        "nori": (nori_terms(texts), nori_terms(queries)),
    }
    results = {}
    for name, (st, qt) in analyzers.items():
        results[name] = {"matching": matching(sentences, queries, st, qt)}
        if name != "nori":
            results[name]["agreement_with_nori"] = agreement(st, analyzers["nori"][0])

    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1, default=list))
        return
    relevant = sum(len(s["nouns"]) for s in sentences)
    print("Korean test set (%s): %d sentences, %d queries, %d relevant (query, sentence) pairs\n" %
          (args.set, len(sentences), len(queries), relevant))
    print("| analyzer | precision | recall | F1 | true / false matches | misses |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        m = r["matching"]
        print("| %s | %.3f | %.3f | %.3f | %d / %d | %d |" % (name, m["precision"], m["recall"], m["f1"], m["tp"], m["fp"], m["fn"]))
    print("\nToken agreement with nori (terms per sentence, as multisets):\n")
    print("| analyzer | precision | recall | F1 | identical sentences |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        if "agreement_with_nori" in r:
            a = r["agreement_with_nori"]
            print("| %s | %.3f | %.3f | %.3f | %d / %d |" % (name, a["precision"], a["recall"], a["f1"],
                                                       a["identical_sentences"], a["sentences"]))
    if args.verbose:
        by_id = {s["id"]: s["text"] for s in sentences}
        for name, r in results.items():
            m = r["matching"]
            print("\n%s: misses" % name)
            for q, ids in m["misses"].items():
                print("  %s: %s" % (q, "; ".join("%d %s" % (i, by_id[i]) for i in ids)))
            print("%s: false matches" % name)
            for q, ids in m["false_hits"].items():
                print("  %s: %s" % (q, "; ".join("%d %s" % (i, by_id[i]) for i in ids)))
        print("\nsift korean vs nori, sentences that differ:")
        for s, a, b in zip(sentences, analyzers["sift korean"][0], analyzers["nori"][0]):
            if a != b:
                print("  %d %s\n     sift: %s\n     nori: %s" % (s["id"], s["text"], " ".join(a), " ".join(b)))


if __name__ == "__main__":
    main()
