#!/usr/bin/env python3
"""End-to-end `_search` latency and throughput over HTTP, with N concurrent clients.

Loads the first --docs documents of a jsonl corpus (default: the debdocs corpus of
bench/speed.sh) into a fresh 1-shard index on a fresh `sift` (or reuses --data-dir when it
already holds the index), force-merges it to one segment, then for each query class of the
query file (LuceneBench syntax: `term`, `intersection` (+a +b), `union` (a b), `phrase` ("a b"))
runs --clients client processes for --seconds, each sending the class's queries round-robin as
`_search` bodies (size 10, body field) over one keep-alive connection, and records every
request's latency. A warm-up pass over all queries runs first. Reports per class: requests,
QPS (all clients together), latency p50/p90/p99 in ms, and hits checks (every response is 200
with a `hits` object).

  bench/search_http_bench.py                                  # 200,000 docs, 2 clients, 10 s per class
  bench/search_http_bench.py --docs 1025052 --data-dir /tmp/sift-debdocs --json-out /tmp/s.json

The client is Python (http.client in separate processes, so no GIL contention); its own cost
per request (~0.1 ms) is part of the measured latency. Python 3 stdlib only.
"""
import argparse
import http.client
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

DATA = os.environ.get("DATA", "/work/benchdata")
INDEX = "bench"


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sift", default=benchlib.DEFAULT_SIFT)
    ap.add_argument("--corpus", default=os.path.join(DATA, "debdocs.jsonl"))
    ap.add_argument("--queries", default=os.path.join(DATA, "queries-debdocs.txt"))
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--clients", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0, help="measured time per query class")
    ap.add_argument("--size", type=int, default=10)
    ap.add_argument("--data-dir", default=None, help="kept; reused when it already holds the index")
    ap.add_argument("--json-out", default=None)
    return ap.parse_args()


def clause(text):
    words = text.strip('"')
    return {"match_phrase": {"body": words}} if text.startswith('"') or " " in words else {"match": {"body": words}}


def split_clauses(s):
    out, i = [], 0
    while i < len(s):
        if s[i].isspace():
            i += 1
            continue
        occur = ""
        if s[i] in "+-":
            occur, i = s[i], i + 1
        if i < len(s) and s[i] == '"':
            end = s.find('"', i + 1)
            end = len(s) if end < 0 else end
            out.append((occur, s[i:end + 1]))
            i = end + 1
        else:
            start = i
            while i < len(s) and not s[i].isspace():
                i += 1
            out.append((occur, s[start:i]))
    return out


def to_dsl(text):
    """LuceneBench query syntax -> an OpenSearch query, as sift-bench reads it."""
    clauses = split_clauses(text.strip())
    if len(clauses) == 1 and clauses[0][0] == "":
        return clause(clauses[0][1])
    must = [clause(t) for o, t in clauses if o == "+"]
    should = [clause(t) for o, t in clauses if o == ""]
    must_not = [clause(t) for o, t in clauses if o == "-"]
    b = {}
    if must:
        b["must"] = must
    if should:
        b["should"] = should
    if must_not:
        b["must_not"] = must_not
    return {"bool": b}


def read_queries(path):
    classes = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            kind, _, text = line.partition("\t")
            classes.setdefault(kind, []).append(to_dsl(text))
    return classes


def load(port, corpus, docs):
    st, body = benchlib.request(port, "PUT", f"/{INDEX}", {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"},
        "mappings": {"properties": {"title": {"type": "text"}, "body": {"type": "text"}}}})
    if st != 200:
        raise RuntimeError(f"create index: {st} {body}")
    sent, lines, size = 0, [], 0

    def flush():
        nonlocal lines, size
        if not lines:
            return
        st, resp = benchlib.request(port, "POST", "/_bulk", "".join(lines).encode(), "application/x-ndjson", timeout=600)
        if st != 200 or resp.get("errors"):
            raise RuntimeError(f"bulk: {st} {str(resp)[:300]}")
        lines, size = [], 0

    with open(corpus, encoding="utf-8") as f:
        for raw in f:
            if sent >= docs:
                break
            doc = json.loads(raw)
            doc_id = doc.pop("id", str(sent))
            lines.append(json.dumps({"index": {"_index": INDEX, "_id": doc_id}}) + "\n" + json.dumps(doc) + "\n")
            size += len(lines[-1])
            sent += 1
            if size >= 5 << 20:
                flush()
    flush()
    for method, path in (("POST", f"/{INDEX}/_refresh"), ("POST", f"/{INDEX}/_forcemerge?max_num_segments=1"),
                         ("POST", f"/{INDEX}/_refresh")):
        st, resp = benchlib.request(port, method, path, timeout=3600)
        if st != 200:
            raise RuntimeError(f"{path}: {st} {resp}")
    return sent


def client(args):
    port, bodies, seconds, start_at, offset = args
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    lat, bad, i = [], 0, offset
    while time.time() < start_at:
        time.sleep(0.001)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        body = bodies[i % len(bodies)]
        i += 1
        t0 = time.perf_counter()
        conn.request("POST", f"/{INDEX}/_search", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        lat.append(time.perf_counter() - t0)
        if resp.status != 200 or b'"hits"' not in data:
            bad += 1
    conn.close()
    return lat, bad


def main():
    a = parse_args()
    own_dir = a.data_dir is None
    data_dir = a.data_dir or tempfile.mkdtemp(prefix="sift-search-bench-")
    server = benchlib.Server(a.sift, data_dir).start()
    report = {"bench": "search_http", "docs": a.docs, "clients": a.clients, "seconds_per_class": a.seconds,
              "size": a.size, "machine": benchlib.machine_info(), "build": benchlib.build_info(a.sift), "classes": {}}
    try:
        server.wait_ready()
        st, _ = benchlib.request(server.port, "HEAD", f"/{INDEX}")
        if st != 200:
            t0 = time.monotonic()
            report["loaded_docs"] = load(server.port, a.corpus, a.docs)
            report["load_seconds"] = round(time.monotonic() - t0, 1)
            print(f"loaded {report['loaded_docs']} docs in {report['load_seconds']} s", file=sys.stderr)
        st, count = benchlib.request(server.port, "GET", f"/{INDEX}/_count")
        report["index_docs"] = count["count"]
        classes = read_queries(a.queries)
        for kind, queries in classes.items():
            bodies = [json.dumps({"size": a.size, "query": q}).encode() for q in queries]
            # Warm-up: every query once.
            for b in bodies:
                st, resp = benchlib.request(server.port, "POST", f"/{INDEX}/_search", b)
                if st != 200:
                    raise RuntimeError(f"{kind}: {st} {str(resp)[:300]}")
            start_at = time.time() + 0.2
            with multiprocessing.Pool(a.clients) as pool:
                parts = pool.map(client, [(server.port, bodies, a.seconds, start_at, k * len(bodies) // a.clients)
                                          for k in range(a.clients)])
            lat = [x for p, _ in parts for x in p]
            bad = sum(b for _, b in parts)
            ms = lambda p: round(benchlib.percentile(lat, p) * 1000, 3)  # noqa: E731
            row = {"queries": len(queries), "requests": len(lat), "errors": bad,
                   "qps": round(len(lat) / a.seconds, 1), "p50_ms": ms(50), "p90_ms": ms(90), "p99_ms": ms(99)}
            report["classes"][kind] = row
            print(f"{kind:13s} {row['requests']:8d} req  {row['qps']:9.1f} qps  p50 {row['p50_ms']:.3f} ms  "
                  f"p90 {row['p90_ms']:.3f} ms  p99 {row['p99_ms']:.3f} ms  errors {bad}", file=sys.stderr)
        report["rss_mb"] = round((benchlib.proc_status(server.pid) or {}).get("VmRSS", 0), 1)
    finally:
        server.stop()
        if own_dir:
            shutil.rmtree(data_dir, ignore_errors=True)
    out = json.dumps(report, indent=1)
    print(out)
    if a.json_out:
        with open(a.json_out, "w") as f:
            f.write(out + "\n")
    if any(r["errors"] for r in report["classes"].values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
