#!/usr/bin/env python3
"""Analyzer parity: Sift's analyzers against Lucene 8's, token for token.

For every text, both engines' tokens are compared on term, start/end offset (UTF-16 units, as
OpenSearch reports them), type and position. Prints how many texts differ and the first differences.

Texts (any combination; default: the multilingual set):
  --texts FILE      one JSON string (or an object with "text") per line;
                    default bench/analyzer_parity_texts.jsonl
  --debdocs FILE    a JSONL corpus with title/body fields (e.g. /work/benchdata/debdocs.jsonl): every
                    k-th document so that about --sample documents are taken, plus up to --special
                    documents whose text holds emoji or symbols, '@', a letter:letter colon, CJK,
                    Thai, underscore runs or very long words. Title and body are separate texts.
  --codepoints      every code point of planes 0-3 and 14 alone and in a few contexts ("aXa", "1X1",
                    "aX", "Xa", "😀X", "👍X🏽", ...): checks the character tables after an ICU upgrade.
Sift (one of):
  --sift-bin PATH   start this `sift` on --port (default 9243) with a fresh data dir (the default,
                    with build-an/sift or build/sift); texts go to POST /<index>/_analyze of an index
                    created with index.analyze.max_token_count raised, so long texts fit
  --sift-url URL    a running sift (the index is created and deleted again)
  --driver CMD      any command that speaks the Lucene tool's line protocol (ANALYZER<TAB>"json text"
                    in, one {"tokens": [...]} line out)
Lucene:
  --lucene PATH     the analyze.sh of a built copy of ../shared/bench/lucene (default $LUCENE_ANALYZE
                    or /tmp/lucene-an/analyze.sh; build with
                    `cp -r /work/shared/bench/lucene /tmp/lucene-an && /tmp/lucene-an/build.sh`).
                    When it is missing the script says so and exits 0: Lucene is optional.
Other: --analyzer NAME (default standard), --show N differences, --dump-texts FILE (the texts, one
per line with newlines as spaces: input for bench/analysis_speed.sh).
Exit status: 0 when every text matches (or Lucene is absent), 1 when some differ, 2 on errors.

  bench/analyzer_parity.py --debdocs /work/benchdata/debdocs.jsonl --sample 50000
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INDEX = "analyzer-parity"

# Texts worth comparing beyond the plain sample: what segmentation rules treat specially.
SPECIAL = re.compile("[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2900-\u2bff"
                     "\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0eff\U0001F000-\U0001FAFF]"
                     r"|@|[^\W\d_]:[^\W\d_]|__|\S{200}")


def read_texts(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                v = json.loads(line)
                out.append(v["text"] if isinstance(v, dict) else v)
    return out


def read_debdocs(path, sample, special_max):
    with open(path, "rb") as f:
        total = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    step = max(1, total // max(1, sample))
    texts, docs, special = [], 0, 0
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            take = i % step == 0
            if not take and special < special_max and SPECIAL.search(line):
                take, special = True, special + 1
            if not take:
                continue
            d = json.loads(line)
            docs += 1
            for field in ("title", "body"):
                if isinstance(d.get(field), str) and d[field]:
                    texts.append(d[field])
    print("debdocs: %d documents (every %d-th of %d, plus %d with special characters), %d texts"
          % (docs, step, total, special, len(texts)))
    return texts


def codepoint_texts():
    contexts = ["{}", "a{}a", "1{}1", "a{}", "{}a", "\U0001F600{}", "\U0001F44D{}\U0001F3FD", "1{}\u20e3",
                "{}\u200d\U0001F600", "\u30ab{}\u30ab", "\u05d0{}\u05d0", "\U0001F1E9{}\U0001F1EA", "{}\U0001F3FD"]
    texts, batch = [], []
    for plane in (0, 1, 2, 3, 14):
        for cp in range(plane << 16, (plane + 1) << 16):
            if 0xD800 <= cp < 0xE000:
                continue
            batch.extend(c.format(chr(cp)) for c in contexts)
            if len(batch) >= 520:
                texts.append("\n".join(batch))
                batch = []
    if batch:
        texts.append("\n".join(batch))
    return texts


def run_line_tool(cmd, analyzer, texts):
    """Runs a tool that speaks the Lucene tool's protocol; returns one token list per text."""
    data = "".join("%s\t%s\n" % (analyzer, json.dumps(t)) for t in texts)
    p = subprocess.run(cmd, input=data.encode(), stdout=subprocess.PIPE, shell=isinstance(cmd, str))
    if p.returncode != 0:
        raise RuntimeError("%s exited with %d" % (cmd, p.returncode))
    lines = p.stdout.decode("utf-8").split("\n")[:-1]  # not splitlines(): U+2028 is inside a line
    if len(lines) != len(texts):
        raise RuntimeError("%s answered %d lines for %d texts" % (cmd, len(lines), len(texts)))
    return [json.loads(line)["tokens"] for line in lines]


class Sift:
    """POSTs texts to /<index>/_analyze of a sift, started here on `port` unless a URL is given."""

    def __init__(self, binary=None, url=None, port=9243):
        self.proc, self.tmp = None, None
        if url is None:
            self.tmp = tempfile.mkdtemp(prefix="sift-analyzer-parity-")
            log = open(os.path.join(self.tmp, "sift.log"), "wb")
            self.proc = subprocess.Popen([binary, "--data", os.path.join(self.tmp, "data"), "--port", str(port)],
                                         stdout=log, stderr=log, start_new_session=True)
            url = "http://127.0.0.1:%d" % port
        m = re.fullmatch(r"https?://([^:/]+):?(\d*)/?", url)
        self.host, self.port = m.group(1), int(m.group(2) or 80)
        self.conn = None
        self._wait()
        self.call("DELETE", "/" + INDEX)
        status, body = self.call("PUT", "/" + INDEX, {"settings": {"index.analyze.max_token_count": 10000000}})
        if status != 200:
            raise RuntimeError("cannot create index %s: %s %s" % (INDEX, status, body))

    def _wait(self):
        deadline = time.time() + 20
        while True:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError("sift exited at start with %s (log in %s)" % (self.proc.returncode, self.tmp))
            try:
                self.call("GET", "/")
                return
            except OSError:
                if time.time() > deadline:
                    raise
                self.conn = None
                time.sleep(0.1)

    def call(self, method, path, body=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        data = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
        resp = self.conn.getresponse()
        return resp.status, resp.read()

    def analyze(self, analyzer, texts):
        out = []
        for t in texts:
            status, body = self.call("POST", "/%s/_analyze" % INDEX, {"analyzer": analyzer, "text": t})
            if status != 200:
                raise RuntimeError("_analyze answered %d: %s" % (status, body[:300]))
            out.append(json.loads(body)["tokens"])
        return out

    def close(self):
        try:
            self.call("DELETE", "/" + INDEX)
        except OSError:
            pass
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


def key(tokens):
    return [(t["token"], t["start_offset"], t["end_offset"], t["type"], t["position"]) for t in tokens]


def show(i, text, lucene, sift):
    lk, sk = key(lucene), key(sift)
    j = next((n for n in range(min(len(lk), len(sk))) if lk[n] != sk[n]), min(len(lk), len(sk)))
    units = text.encode("utf-16-le")
    at = lk[j][1] if j < len(lk) else sk[j][1]
    ctx = units[max(0, at - 30) * 2:(at + 40) * 2].decode("utf-16-le", "replace")
    print("text %d, first difference at token %d (offset %d): ...%r..." % (i, j, at, ctx))
    print("  lucene: %s" % (lk[j:j + 3],))
    print("  sift:   %s" % (sk[j:j + 3],))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--texts")
    ap.add_argument("--debdocs")
    ap.add_argument("--sample", type=int, default=50000)
    ap.add_argument("--special", type=int, default=50000)
    ap.add_argument("--codepoints", action="store_true")
    ap.add_argument("--analyzer", default="standard")
    ap.add_argument("--sift-bin")
    ap.add_argument("--sift-url")
    ap.add_argument("--port", type=int, default=9243)
    ap.add_argument("--driver")
    ap.add_argument("--lucene", default=os.environ.get("LUCENE_ANALYZE", "/tmp/lucene-an/analyze.sh"))
    ap.add_argument("--show", type=int, default=10)
    ap.add_argument("--dump-texts")
    args = ap.parse_args()

    texts = []
    if args.texts or not (args.debdocs or args.codepoints):
        texts += read_texts(args.texts or os.path.join(REPO, "bench", "analyzer_parity_texts.jsonl"))
    if args.debdocs:
        texts += read_debdocs(args.debdocs, args.sample, args.special)
    if args.codepoints:
        texts += codepoint_texts()
    if args.dump_texts:
        with open(args.dump_texts, "w", encoding="utf-8") as f:
            for t in texts:
                f.write(re.sub(r"[\r\n\u2028\u2029\x0b\x0c\x85]", " ", t) + "\n")
    if not os.path.exists(args.lucene):
        print("Lucene analyzer tool not found at %s: nothing compared (Lucene is optional; see --help)" % args.lucene)
        return 0

    t0 = time.time()
    lucene = run_line_tool([args.lucene], args.analyzer, texts)
    t1 = time.time()
    sift_server = None
    try:
        if args.driver:
            sift = run_line_tool(args.driver, args.analyzer, texts)
        else:
            binary = args.sift_bin
            if binary is None and args.sift_url is None:
                binary = next((b for b in (os.path.join(REPO, d, "sift") for d in ("build-an", "build"))
                               if os.path.exists(b)), None)
                if binary is None:
                    print("no sift binary (build it, or pass --sift-bin / --sift-url / --driver)")
                    return 2
            sift_server = Sift(binary=binary, url=args.sift_url, port=args.port)
            sift = sift_server.analyze(args.analyzer, texts)
    finally:
        if sift_server is not None:
            sift_server.close()
    t2 = time.time()

    differ = [i for i in range(len(texts)) if key(lucene[i]) != key(sift[i])]
    tokens = sum(len(t) for t in lucene)
    print("analyzer %s: %d texts, %d Lucene tokens, %d texts differ (lucene %.1fs, sift %.1fs)"
          % (args.analyzer, len(texts), tokens, len(differ), t1 - t0, t2 - t1))
    for i in differ[:args.show]:
        show(i, texts[i], lucene[i], sift[i])
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
