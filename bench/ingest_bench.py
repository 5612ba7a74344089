#!/usr/bin/env python3
"""HTTP bulk-ingest benchmark: N small http_logs-like documents into a fresh sift node.

Generates the documents with ../shared/bench/corpus/make_logs.py (deterministic: same
arguments, same bytes), starts `sift` on a fresh data dir and a free port, creates a
1-shard / 0-replica index with the logs mapping, sends `_bulk` bodies of ~--bulk-mb MB
from --clients threads over keep-alive HTTP/1.1, checks every response, samples the
server's VmRSS / VmHWM every 100 ms, then `_refresh` + `_count` must equal N.

  bench/ingest_bench.py                      # 1,000,000 docs, 5 MB bodies, 2 clients
  bench/ingest_bench.py --docs 100000 --json-out /tmp/ingest.json
  bench/ingest_bench.py --data-dir /tmp/sift-1m   # kept; then startup_bench.py --data-dir /tmp/sift-1m

Timing starts at the first bulk request and stops when the last response is read
(generation, server start and index creation excluded; `_refresh` timed separately).
Every acknowledged bulk has been fsynced by the server (translog) before it answers.
Prints one JSON object on stdout and a summary line on stderr. Python 3 stdlib only.
"""
import argparse
import http.client
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

MAKE_LOGS_DEFAULT = os.path.normpath(os.path.join(benchlib.REPO, "..", "shared", "bench", "corpus", "make_logs.py"))

INDEX_BODY = {
    "settings": {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"},
    "mappings": {"properties": {
        "@timestamp": {"type": "date"},
        "clientip": {"type": "ip"},
        "request": {"type": "text", "fields": {"raw": {"type": "keyword"}}},
        "status": {"type": "integer"},
        "size": {"type": "integer"},
    }},
}


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--bulk-mb", type=float, default=5.0, help="target size of one _bulk body (MB)")
    ap.add_argument("--clients", type=int, default=2, help="concurrent keep-alive connections")
    ap.add_argument("--sift", default=benchlib.DEFAULT_SIFT)
    ap.add_argument("--make-logs", default=MAKE_LOGS_DEFAULT)
    ap.add_argument("--seed", type=int, default=None, help="passed to make_logs.py (default: its own)")
    ap.add_argument("--index", default="logs")
    ap.add_argument("--data-dir", default=None,
                    help="data dir for the node (must not exist or be empty); kept at exit, so that "
                         "startup_bench.py --data-dir can restart on it. Default: a temp dir, deleted")
    ap.add_argument("--port", type=int, default=0, help="0: pick a free port")
    ap.add_argument("--timeout", type=float, default=1800.0, help="overall limit (s); the server is killed")
    ap.add_argument("--request-timeout", type=float, default=300.0, help="per bulk request (s)")
    ap.add_argument("--sample-ms", type=float, default=100.0, help="RSS sampling period")
    ap.add_argument("--git-sha", default=None,
                    help="commit the binary was built from, when it is not the repo's HEAD (e.g. a copied binary)")
    ap.add_argument("--json-out", default=None, help="also write the JSON report here")
    ap.add_argument("--hold", type=float, default=0.0,
                    help="keep the node up this many seconds after the count (pid on stderr), for inspection")
    return ap.parse_args()


def generate(args):
    cmd = [sys.executable, args.make_logs, "--docs", str(args.docs), "--bulk", "--index", args.index]
    if args.seed is not None:
        cmd += ["--seed", str(args.seed)]
    t0 = time.monotonic()
    data = subprocess.run(cmd, check=True, stdout=subprocess.PIPE).stdout
    return data, time.monotonic() - t0


def split_bodies(data, target_bytes):
    """Cut the _bulk NDJSON (action line + source line per doc) into bodies of about
    target_bytes, never splitting a pair. Returns (bodies, docs per body, source bytes)."""
    bodies, counts = [], []
    n = len(data)
    start = pos = 0
    docs = 0
    source_bytes = 0
    while pos < n:
        a = data.index(b"\n", pos) + 1          # end of action line
        b = data.find(b"\n", a)                 # end of source line
        b = n if b < 0 else b + 1
        source_bytes += b - a
        docs += 1
        pos = b
        if pos - start >= target_bytes or pos >= n:
            bodies.append(data[start:pos])
            counts.append(docs)
            start, docs = pos, 0
    return bodies, counts, source_bytes


class RssSampler(threading.Thread):
    def __init__(self, pid, period_s):
        super().__init__(daemon=True)
        self.pid, self.period_s = pid, period_s
        self.stop_evt = threading.Event()
        self.samples = []          # (t, VmRSS MB)
        self.max_rss = 0.0
        self.hwm = 0.0
        self.max_threads = 0

    def run(self):
        t0 = time.monotonic()
        while not self.stop_evt.is_set():
            st = benchlib.proc_status(self.pid)
            if st is None:
                break
            rss = st.get("VmRSS", 0.0)
            self.samples.append((round(time.monotonic() - t0, 2), round(rss, 1)))
            self.max_rss = max(self.max_rss, rss)
            self.hwm = max(self.hwm, st.get("VmHWM", 0.0))
            self.max_threads = max(self.max_threads, benchlib.proc_threads(self.pid) or 0)
            self.stop_evt.wait(self.period_s)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.http_errors = 0        # non-200, connection failures, unparsable bodies
        self.bulk_with_errors = 0   # 200 with "errors": true
        self.item_failures = 0
        self.docs_acked = 0
        self.first_error = None

    def record(self, latency, ok_docs=0, http_error=None, item_failures=0):
        with self.lock:
            self.latencies.append(latency)
            self.docs_acked += ok_docs
            if http_error is not None:
                self.http_errors += 1
                self.first_error = self.first_error or http_error
            if item_failures:
                self.bulk_with_errors += 1
                self.item_failures += item_failures


def check_bulk(status, raw, ndocs):
    """(acked docs, failed items, error text or None, whole request failed) for one _bulk response."""
    if status != 200:
        return 0, 0, f"HTTP {status}: {raw[:300]!r}", True
    try:
        body = json.loads(raw)
    except ValueError:
        return 0, 0, f"unparsable response: {raw[:300]!r}", True
    items = body.get("items", [])
    if len(items) != ndocs:
        return 0, 0, f"{len(items)} items for {ndocs} docs", True
    if body.get("errors") is False:
        return ndocs, 0, None, False
    failed = 0
    first = None
    for it in items:
        res = next(iter(it.values()))
        if res.get("status", 500) >= 300 or "error" in res:
            failed += 1
            first = first or res.get("error")
    err = f"item error: {json.dumps(first)[:300]}" if failed else "errors:true with no failed item"
    return ndocs - failed, max(failed, 1), err, False


def client(port, work, stats, path, timeout, abort):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = {"Content-Type": "application/x-ndjson", "Connection": "keep-alive"}
    while not abort.is_set():
        try:
            body, ndocs = work.get_nowait()
        except queue.Empty:
            break
        t0 = time.monotonic()
        try:
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
            acked, failed, err, whole = check_bulk(resp.status, raw, ndocs)
            stats.record(time.monotonic() - t0, acked, err if whole else None, failed)
            if failed:
                with stats.lock:
                    stats.first_error = stats.first_error or err
        except (OSError, http.client.HTTPException) as e:
            stats.record(time.monotonic() - t0, 0, f"{type(e).__name__}: {e}", 0)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.close()


def main():
    args = parse_args()
    if not os.access(args.sift, os.X_OK):
        sys.exit(f"no sift binary at {args.sift} (build: nice ninja -C build sift)")

    own_tmp = args.data_dir is None
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="sift-ingest-")
    if not own_tmp and os.path.exists(data_dir) and os.listdir(data_dir):
        sys.exit(f"--data-dir {data_dir} is not empty")
    server = None

    def cleanup():
        if server is not None:
            server.kill()
        if own_tmp:
            shutil.rmtree(data_dir, ignore_errors=True)

    timed_out = threading.Event()

    def on_timeout():
        timed_out.set()
        print(f"ingest_bench: overall timeout {args.timeout} s, killing the server", file=sys.stderr)
        cleanup()
        os._exit(3)

    watchdog = threading.Timer(args.timeout + args.hold, on_timeout)
    watchdog.daemon = True
    watchdog.start()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: (cleanup(), os._exit(130)))

    report = {"bench": "ingest", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "machine": benchlib.machine_info(), "build": benchlib.build_info(args.sift, args.git_sha),
              "params": {"docs": args.docs, "bulk_mb": args.bulk_mb, "clients": args.clients,
                         "index": args.index, "seed": args.seed, "shards": 1, "replicas": 0,
                         "refresh_interval": "1s"}}
    try:
        data, gen_s = generate(args)
        bodies, counts, source_bytes = split_bodies(data, int(args.bulk_mb * 1024 * 1024))
        total_bytes = len(data)
        del data
        report["corpus"] = {"generator": os.path.abspath(args.make_logs), "generate_s": round(gen_s, 2),
                            "bulk_bytes": total_bytes, "source_bytes": source_bytes,
                            "bulk_requests": len(bodies),
                            "avg_body_mb": round(total_bytes / len(bodies) / 1048576, 2) if bodies else 0,
                            "avg_doc_bytes": round(source_bytes / max(1, args.docs), 1)}

        server = benchlib.Server(args.sift, data_dir, args.port or None).start()
        ready_s = server.wait_ready()
        report["server"] = {"pid": server.pid, "port": server.port, "data_dir": data_dir,
                            "started_in_ms": server.wait_started_line(), "ready_s": round(ready_s, 4)}
        st, body = benchlib.request(server.port, "PUT", "/" + args.index, INDEX_BODY)
        if st != 200:
            raise RuntimeError(f"create index: HTTP {st} {body}")
        idle = benchlib.proc_status(server.pid)
        cpu0 = benchlib.proc_cpu_seconds(server.pid)

        sampler = RssSampler(server.pid, args.sample_ms / 1000.0)
        sampler.start()
        work = queue.Queue()
        for b, c in zip(bodies, counts):
            work.put((b, c))
        stats = Stats()
        abort = threading.Event()
        path = f"/{args.index}/_bulk"
        threads = [threading.Thread(target=client, args=(server.port, work, stats, path,
                                                         args.request_timeout, abort), daemon=True)
                   for _ in range(args.clients)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            for t in threads:
                t.join(0.2)
            if not server.alive():
                abort.set()
                break
        elapsed = time.monotonic() - t0
        cpu1 = benchlib.proc_cpu_seconds(server.pid)
        crashed = not server.alive()
        after_ingest = benchlib.proc_status(server.pid) or {}

        refresh_s = count = None
        if not crashed:
            t1 = time.monotonic()
            st, body = benchlib.request(server.port, "POST", f"/{args.index}/_refresh", timeout=args.request_timeout)
            refresh_s = time.monotonic() - t1
            st, body = benchlib.request(server.port, "GET", f"/{args.index}/_count", timeout=args.request_timeout)
            count = body.get("count") if isinstance(body, dict) else None
        sampler.stop_evt.set()
        sampler.join(1)
        final = benchlib.proc_status(server.pid) or {}
        crashed = crashed or not server.alive()

        docs_s = args.docs / elapsed if elapsed > 0 else 0.0
        report["result"] = {
            "seconds": round(elapsed, 3),
            "docs_per_s": round(docs_s),
            "bulk_mb_per_s": round(total_bytes / 1048576 / elapsed, 2),
            "source_mb_per_s": round(source_bytes / 1048576 / elapsed, 2),
            "docs_acked": stats.docs_acked,
            "http_errors": stats.http_errors,
            "bulk_responses_with_errors": stats.bulk_with_errors,
            "item_failures": stats.item_failures,
            "first_error": stats.first_error,
            "bulk_latency_s": {"p50": round(benchlib.percentile(stats.latencies, 50) or 0, 3),
                               "p99": round(benchlib.percentile(stats.latencies, 99) or 0, 3),
                               "max": round(max(stats.latencies, default=0), 3)},
            "refresh_s": round(refresh_s, 3) if refresh_s is not None else None,
            "count": count,
            "count_ok": count == args.docs,
            "server_crashed": crashed,
            "server_cpu_s": round(cpu1 - cpu0, 2) if cpu0 is not None and cpu1 is not None else None,
            "rss_mb": {"idle_after_create": round(idle.get("VmRSS", 0), 1) if idle else None,
                       "peak_vmhwm": round(max(sampler.hwm, final.get("VmHWM", 0)), 1),
                       "max_sampled_vmrss": round(sampler.max_rss, 1),
                       "after_ingest": round(after_ingest.get("VmRSS", 0), 1) if after_ingest else None,
                       "final_after_refresh": round(final.get("VmRSS", 0), 1) if final else None,
                       "final_anon": round(final.get("RssAnon", 0), 1) if final else None,
                       "final_file": round(final.get("RssFile", 0), 1) if final else None,
                       "samples": len(sampler.samples)},
            "max_threads": sampler.max_threads,
            "data_dir_mb": round(benchlib.dir_size_mb(data_dir), 1),
        }
        report["result"]["timed_out"] = timed_out.is_set()
        if crashed:
            report["result"]["server_exit_code"] = server.proc.returncode
            report["result"]["server_stderr_tail"] = server.stderr_lines[-30:]
        # A coarse RSS timeline (one point per ~second) so growth is visible in the report.
        step = max(1, int(1000 / args.sample_ms))
        report["result"]["rss_timeline_s_mb"] = " ".join(f"{t:g}:{m:g}" for t, m in sampler.samples[::step])
        if not crashed and args.hold > 0:
            print(f"ingest_bench: holding node pid {server.pid} port {server.port} for {args.hold} s",
                  file=sys.stderr, flush=True)
            time.sleep(args.hold)
        if not crashed:
            server.stop()
    finally:
        watchdog.cancel()
        cleanup()

    out = json.dumps(report, indent=2)
    print(out)
    if args.json_out:
        with open(args.json_out, "w") as f:
            f.write(out + "\n")
    r = report.get("result", {})
    sha = (report["build"].get("git_sha") or "?")[:10]
    status = "TIMED OUT " if r.get("timed_out") else "SERVER DIED " if r.get("server_crashed") else ""
    print(f"ingest: {status}{args.docs} docs in {r.get('seconds')} s = {r.get('docs_per_s')} docs/s, "
          f"{r.get('bulk_mb_per_s')} MB/s bulk ({r.get('source_mb_per_s')} MB/s source), "
          f"peak RSS {r.get('rss_mb', {}).get('peak_vmhwm')} MB, final RSS "
          f"{r.get('rss_mb', {}).get('final_after_refresh')} MB, count {r.get('count')} "
          f"({'ok' if r.get('count_ok') else 'MISMATCH'}), failures {r.get('http_errors', 0)} http / "
          f"{r.get('item_failures', 0)} items, {args.clients} clients x {args.bulk_mb} MB, sha {sha}",
          file=sys.stderr)
    ok = r.get("count_ok") and not r.get("http_errors") and not r.get("item_failures")
    return 0 if ok else (3 if r.get("timed_out") else 1)


if __name__ == "__main__":
    sys.exit(main())
