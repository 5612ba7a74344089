#!/usr/bin/env python3
"""Translog corruption test (reliability.md D5).

One node indexes DOCS acked documents into a 1-shard index (one translog record each), then gets
SIGKILL. From copies of that data dir:
  torn-garbage   random bytes appended to the newest translog-*.tlog  -> starts, every acked doc there
  torn-partial   the first half of a valid record appended              -> same
  mid-flip       one byte flipped inside a record that is not the last  -> must NOT serve silently
                 wrong data: either sift refuses to start (non-zero exit) or the index answers errors;
                 either way the log names the corruption.
Prints "torn-tail recoveries ok: K/K; mid-file corruptions flagged: M/M"; exit 1 on any failure.
Usage: translog_corruption_test.py [--sift build/sift] [--seed S]
"""
import argparse, glob, http.client, os, random, re, shutil, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sift_proc import Sift, free_port, mget_present  # noqa: E402

DOCS = 60
INDEX = "tlog"
RECORD_MAGIC = b"LOGR"   # sift's translog record marker: "LOGR", u32 length, u32 crc32c, payload


def newest_tlog(data):
    files = glob.glob(os.path.join(data, "indices", "*", "0", "translog", "translog-*.tlog"))
    if not files:
        raise RuntimeError("no translog-*.tlog under %s/indices/*/0/translog" % data)
    return max(files, key=lambda p: int(re.search(r"translog-(\d+)\.tlog$", p).group(1)))


def doc_source(i):
    return {"n": i, "text": "document number %d" % i}


def prepare(binary, base):
    """Indexes DOCS acked docs, SIGKILLs the node, returns the data dir."""
    data = os.path.join(base, "pristine")
    node = Sift(binary, data, os.path.join(base, "prepare.log"))
    err = node.start()
    if err:
        raise RuntimeError("prepare: " + err)
    try:
        status, body = node.call("PUT", "/" + INDEX, body={"settings": {"number_of_shards": 1, "number_of_replicas": 0}})
        if status != 200:
            raise RuntimeError("create index: %d %s" % (status, body))
        for i in range(DOCS):
            status, body = node.call("PUT", "/%s/_doc/%d" % (INDEX, i), body=doc_source(i))
            if status != 201:
                raise RuntimeError("index doc %d: %d %s" % (i, status, body))
    finally:
        node.kill()
    return data


def run_variant(binary, base, pristine, name, corrupt):
    data = os.path.join(base, name)
    shutil.copytree(pristine, data)
    path = newest_tlog(data)
    with open(path, "rb") as f:
        blob = bytearray(f.read())
    blob = corrupt(blob)
    with open(path, "wb") as f:
        f.write(blob)
    log = os.path.join(base, name + ".log")
    node = Sift(binary, data, log, port=free_port())
    err = node.start()
    return node, err


def check_torn(binary, base, pristine, name, corrupt, problems):
    node, err = run_variant(binary, base, pristine, name, corrupt)
    try:
        if err:
            problems.append("%s: node did not start: %s\n%s" % (name, err, node.log_tail(10)))
            return False
        present = mget_present(node, INDEX, [str(i) for i in range(DOCS)])
        if len(present) != DOCS:
            problems.append("%s: %d of %d acked docs missing" % (name, DOCS - len(present), DOCS))
            return False
        status, body = node.call("GET", "/%s/_doc/%d" % (INDEX, DOCS - 1))
        if status != 200 or body.get("_source") != doc_source(DOCS - 1):
            problems.append("%s: last doc wrong: %d %s" % (name, status, body))
            return False
        # Writing after the recovery works and survives another crash.
        status, body = node.call("PUT", "/%s/_doc/after" % INDEX, body={"n": -1})
        node.kill()
        if status != 201 or node.start():
            problems.append("%s: write or restart after recovery failed: %d %s" % (name, status, body))
            return False
        status, body = node.call("GET", "/%s/_doc/after" % INDEX)
        if status != 200:
            problems.append("%s: doc written after recovery lost: %d %s" % (name, status, body))
            return False
        return True
    finally:
        node.kill()


def check_mid_flip(binary, base, pristine, rng, problems):
    """Returns (flagged, description of what sift did)."""
    def corrupt(blob):
        starts = [m.start() for m in re.finditer(re.escape(RECORD_MAGIC), bytes(blob))]
        if len(starts) < DOCS:
            raise RuntimeError("found %d records, expected >= %d" % (len(starts), DOCS))
        k = len(starts) // 2                      # a record in the middle, never the last
        lo, hi = starts[k] + 12, starts[k + 1]    # its payload
        pos = rng.randrange(lo, hi)
        blob[pos] ^= 0x5A
        return blob
    node, err = run_variant(binary, base, pristine, "mid-flip", corrupt)
    try:
        log = node.log_tail(50)
        names_it = re.search(r"corrupt|checksum|crc", log, re.I) is not None
        if err:
            if node.proc.returncode in (None, 0):
                problems.append("mid-flip: start failed without a non-zero exit: %s" % err)
                return False, err
            what = "refused to start (exit %s)" % node.proc.returncode
            if not names_it:
                problems.append("mid-flip: %s but the log does not name the corruption:\n%s" % (what, log))
                return False, what
            return True, what + "; log: " + next(l for l in log.splitlines() if re.search(r"corrupt|checksum|crc", l, re.I))
        # The node is up: the index must answer errors, never a silently shortened or altered history.
        ok_docs = wrong = errors = 0
        for i in range(DOCS):
            try:
                status, body = node.call("GET", "/%s/_doc/%d" % (INDEX, i), timeout=10)
            except (OSError, http.client.HTTPException):
                errors += 1
                continue
            if status == 200 and body.get("_source") == doc_source(i):
                ok_docs += 1
            elif status >= 500 or (status >= 400 and isinstance(body, dict) and "error" in body):
                errors += 1
            else:
                wrong += 1
        status, health = node.call("GET", "/_cluster/health")
        what = "started; index answers: %d docs ok, %d errors, %d missing/wrong; cluster health %s" % (
            ok_docs, errors, wrong, health.get("status") if isinstance(health, dict) else health)
        if not isinstance(health, dict) or health.get("status") != "red":
            problems.append("mid-flip: node up with a failed shard but cluster health is not red (%s)" % what)
            return False, what
        if wrong or errors == 0 or not names_it:
            problems.append("mid-flip: served silently wrong data or no error (%s); log names corruption: %s"
                            % (what, names_it))
            return False, what
        return True, what
    finally:
        node.kill()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sift", default=os.path.join(os.path.dirname(__file__), "../../build/sift"))
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print("translog_corruption_test seed=%d" % seed, flush=True)
    started = time.time()
    base = tempfile.mkdtemp(prefix="sift-tlog-")
    problems = []
    torn_ok = mid_ok = 0
    try:
        pristine = prepare(args.sift, base)

        def garbage(blob):
            return blob + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))

        def partial(blob):
            last = bytes(blob).rfind(RECORD_MAGIC)
            record = bytes(blob[last:])
            return blob + record[:rng.randrange(1, len(record))]

        for name, fn in (("torn-garbage", garbage), ("torn-partial", partial)):
            if check_torn(args.sift, base, pristine, name, fn, problems):
                torn_ok += 1
                print("ok   %s" % name)
            else:
                print("FAIL %s" % name)
        flagged, what = check_mid_flip(args.sift, base, pristine, rng, problems)
        mid_ok += int(flagged)
        print("%s mid-flip: sift %s" % ("ok  " if flagged else "FAIL", what))
    except (OSError, RuntimeError, http.client.HTTPException) as e:
        problems.append("error: %s: %s" % (type(e).__name__, e))
    print("torn-tail recoveries ok: %d/2; mid-file corruptions flagged: %d/1" % (torn_ok, mid_ok))
    for p in problems:
        print("FAIL " + p)
    print("took %.1fs" % (time.time() - started))
    if problems:
        print("data kept: %s" % base)
        return 1
    shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
