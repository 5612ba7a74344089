#!/usr/bin/env python3
"""Start-time and idle-memory benchmark of a sift node.

  bench/startup_bench.py                         # 10 starts on empty data dirs + idle RSS
  bench/startup_bench.py --data-dir /tmp/sift-1m --expect-count 1000000
                                                 # also restart on a node holding an index

Per start: wall time from spawn to the first successful `GET /` (200), and the
server's own "started in X ms" log figure; then SIGTERM and the time to exit.
Each empty-dir start uses a new temp dir. Medians over --runs. Idle RSS: VmRSS /
VmHWM of a fresh node after --idle-s seconds with no requests (after the one GET /).
With --data-dir: --restart-runs restarts on that dir (it is used in place, so the
node may replay or trim its translog on the first one), each with the same two
start figures plus the time until `_count` answers (and equals --expect-count if
given), and the RSS after --idle-s idle.
Prints one JSON object on stdout and a summary line on stderr. Python 3 stdlib only.
"""
import argparse
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sift", default=benchlib.DEFAULT_SIFT)
    ap.add_argument("--runs", type=int, default=10, help="starts on an empty data dir")
    ap.add_argument("--idle-s", type=float, default=2.0, help="idle time before reading RSS")
    ap.add_argument("--data-dir", default=None, help="a node's data dir to restart on (e.g. after ingest_bench)")
    ap.add_argument("--index", default="logs", help="index whose _count is checked after a restart")
    ap.add_argument("--expect-count", type=int, default=None)
    ap.add_argument("--restart-runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600.0, help="overall limit (s); the server is killed")
    ap.add_argument("--git-sha", default=None,
                    help="commit the binary was built from, when it is not the repo's HEAD (e.g. a copied binary)")
    ap.add_argument("--json-out", default=None)
    return ap.parse_args()


def one_start(sift, data_dir, idle_s=None, count_index=None):
    """Start, wait for GET /, optionally wait for _count and idle; stop. Returns a dict."""
    srv = benchlib.Server(sift, data_dir).start()
    CURRENT.append(srv)
    try:
        ready = srv.wait_ready(timeout=120.0)
        out = {"ready_ms": round(ready * 1000, 2), "started_in_ms": srv.wait_started_line()}
        if count_index:
            t0 = time.monotonic()
            st, body = benchlib.request(srv.port, "GET", f"/{count_index}/_count", timeout=120)
            out["count"] = body.get("count") if isinstance(body, dict) else None
            out["count_status"] = st
            out["count_ready_ms"] = round((time.monotonic() - srv.spawn_t) * 1000, 2)
            out["count_took_ms"] = round((time.monotonic() - t0) * 1000, 2)
        if idle_s:
            time.sleep(idle_s)
            st = benchlib.proc_status(srv.pid) or {}
            out["idle_rss_mb"] = round(st.get("VmRSS", 0), 1)
            out["idle_hwm_mb"] = round(st.get("VmHWM", 0), 1)
            out["idle_anon_mb"] = round(st.get("RssAnon", 0), 1)
            out["idle_file_mb"] = round(st.get("RssFile", 0), 1)
            out["threads"] = benchlib.proc_threads(srv.pid)
        stop_s = srv.stop()
        out["stop_ms"] = round(stop_s * 1000, 2) if stop_s is not None else None
        out["exit_code"] = srv.proc.returncode
        return out
    finally:
        srv.kill()
        CURRENT.remove(srv)


CURRENT = []


def summarize(runs, keys):
    meds = {k: benchlib.median([r[k] for r in runs if r.get(k) is not None]) for k in keys}
    return {k: (round(v, 2) if v is not None else None) for k, v in meds.items()}


def main():
    args = parse_args()
    if not os.access(args.sift, os.X_OK):
        sys.exit(f"no sift binary at {args.sift}")
    tmp_root = tempfile.mkdtemp(prefix="sift-startup-")

    def cleanup():
        for srv in list(CURRENT):
            srv.kill()
        shutil.rmtree(tmp_root, ignore_errors=True)

    def on_timeout():
        print(f"startup_bench: overall timeout {args.timeout} s", file=sys.stderr)
        cleanup()
        os._exit(3)

    watchdog = threading.Timer(args.timeout, on_timeout)
    watchdog.daemon = True
    watchdog.start()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: (cleanup(), os._exit(130)))

    report = {"bench": "startup", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "machine": benchlib.machine_info(), "build": benchlib.build_info(args.sift, args.git_sha),
              "params": {"runs": args.runs, "idle_s": args.idle_s, "data_dir": args.data_dir,
                         "restart_runs": args.restart_runs}}
    try:
        empty = [one_start(args.sift, os.path.join(tmp_root, f"empty-{i}")) for i in range(args.runs)]
        report["empty_start"] = {"median": summarize(empty, ["ready_ms", "started_in_ms", "stop_ms"]),
                                 "min_ready_ms": min(r["ready_ms"] for r in empty),
                                 "max_ready_ms": max(r["ready_ms"] for r in empty),
                                 "runs": empty}
        report["idle"] = one_start(args.sift, os.path.join(tmp_root, "idle"), idle_s=args.idle_s)
        if args.data_dir:
            restarts = [one_start(args.sift, args.data_dir, idle_s=args.idle_s, count_index=args.index)
                        for _ in range(args.restart_runs)]
            report["restart"] = {
                "data_dir_mb": round(benchlib.dir_size_mb(args.data_dir), 1),
                "median": summarize(restarts, ["ready_ms", "started_in_ms", "count_ready_ms",
                                               "idle_rss_mb", "idle_hwm_mb", "stop_ms"]),
                "count_ok": all(r.get("count") == args.expect_count for r in restarts)
                if args.expect_count is not None else None,
                "runs": restarts}
    finally:
        watchdog.cancel()
        cleanup()

    out = json.dumps(report, indent=2)
    print(out)
    if args.json_out:
        with open(args.json_out, "w") as f:
            f.write(out + "\n")
    m = report["empty_start"]["median"]
    idle = report["idle"]
    sha = (report["build"].get("git_sha") or "?")[:10]
    line = (f"startup: empty dir ready (spawn -> GET / 200) median {m['ready_ms']} ms over {args.runs}, "
            f"log 'started in' median {m['started_in_ms']} ms, stop {m['stop_ms']} ms; "
            f"idle RSS {idle.get('idle_rss_mb')} MB (HWM {idle.get('idle_hwm_mb')} MB, "
            f"{idle.get('threads')} threads) after {args.idle_s} s")
    if "restart" in report:
        rm = report["restart"]["median"]
        line += (f"; restart on {args.data_dir} ({report['restart']['data_dir_mb']} MB): ready {rm['ready_ms']} ms, "
                 f"log {rm['started_in_ms']} ms, _count answered at {rm['count_ready_ms']} ms, "
                 f"idle RSS {rm['idle_rss_mb']} MB, count ok {report['restart']['count_ok']}")
    print(line + f", sha {sha}", file=sys.stderr)
    ok = all(r.get("exit_code") == 0 for r in report["empty_start"]["runs"])
    if "restart" in report and report["restart"]["count_ok"] is False:
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
