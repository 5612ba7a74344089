#!/usr/bin/env python3
"""Crash test (reliability.md D1): acknowledged _bulk items survive SIGKILL.

Two loader threads send _bulk requests (200 docs, unique ids) into `crash-a` (3 shards) and
`crash-b` (1 shard). Items answered 201 go to the acked ledger; items answered otherwise, or whose
request failed on the wire, are indeterminate. At a random moment (0.2-1.5 s) the node gets
SIGKILL, restarts on the same data dir, and a realtime _mget must find every acked id (of every
cycle so far). No phantoms: after _refresh, each index's _count must equal the acked ids plus the
indeterminate ids that are present. Prints "acked lost: X of N over K cycles"; exit 1 on any loss,
phantom or failed restart.

Usage: crash_test.py [--sift build/sift] [--cycles 20] [--seed S] [--time-limit 300]
"""
import argparse, http.client, os, random, shutil, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sift_proc import Sift, mget_present  # noqa: E402

INDICES = {"crash-a": 3, "crash-b": 1}
BULK_DOCS = 200


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = {i: set() for i in INDICES}
        self.indeterminate = {i: set() for i in INDICES}


def loader(node, ledger, cycle, worker, stop, deadline):
    seq = 0
    while not stop.is_set() and time.time() < deadline:
        index = list(INDICES)[(seq + worker) % len(INDICES)]
        ids = ["c%d-w%d-%d" % (cycle, worker, seq * BULK_DOCS + k) for k in range(BULK_DOCS)]
        seq += 1
        lines = []
        for i in ids:
            lines += [{"index": {"_index": index, "_id": i}}, {"id": i, "cycle": cycle, "msg": "crash test doc " * 4}]
        try:
            status, body = node.call("POST", "/_bulk", ndjson=lines, timeout=10)
        except (OSError, http.client.HTTPException):
            with ledger.lock:
                ledger.indeterminate[index].update(ids)
            if not node.alive():
                return
            time.sleep(0.05)
            continue
        with ledger.lock:
            if status != 200 or not isinstance(body, dict):
                ledger.indeterminate[index].update(ids)
                continue
            for item, i in zip(body["items"], ids):
                r = item.get("index", {})
                if r.get("status") == 201 and r.get("_id") == i:
                    ledger.acked[index].add(i)
                else:
                    ledger.indeterminate[index].add(i)


def check_acked(node, ledger, what, failures, prefix):
    """Counts acked ids (whose id starts with prefix) that a realtime _mget does not find."""
    lost = 0
    for index in INDICES:
        ids = {i for i in ledger.acked[index] if i.startswith(prefix)}
        missing = ids - mget_present(node, index, ids)
        if missing:
            lost += len(missing)
            failures.append("%s: %s lost %d acked ids, e.g. %s" % (what, index, len(missing), sorted(missing)[:5]))
    return lost


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sift", default=os.path.join(os.path.dirname(__file__), "../../build/sift"))
    ap.add_argument("--cycles", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--time-limit", type=float, default=300, help="seconds for the whole run")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print("crash_test seed=%d cycles=%d" % (seed, args.cycles), flush=True)
    started = time.time()
    tmp = tempfile.mkdtemp(prefix="sift-crash-")
    node = Sift(args.sift, os.path.join(tmp, "data"), os.path.join(tmp, "sift.log"))
    ledger = Ledger()
    failures = []
    cycles_done = 0
    try:
        err = node.start()
        if err:
            failures.append("initial start: " + err)
            raise StopIteration
        for index, shards in INDICES.items():
            status, body = node.call("PUT", "/" + index,
                                     body={"settings": {"number_of_shards": shards, "number_of_replicas": 0}})
            if status != 200:
                failures.append("create %s: %d %s" % (index, status, body))
                raise StopIteration
        for cycle in range(args.cycles):
            if time.time() - started > args.time_limit:
                print("time limit %.0fs reached: stopping after %d cycles" % (args.time_limit, cycle))
                if cycle < 3:
                    failures.append("only %d cycles within the time limit" % cycle)
                break
            stop = threading.Event()
            threads = [threading.Thread(target=loader, args=(node, ledger, cycle, w, stop, time.time() + 30))
                       for w in range(2)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.2, 1.5))
            node.kill()
            stop.set()
            for t in threads:
                t.join(15)
            err = node.start()
            if err:
                failures.append("cycle %d: restart failed: %s\n%s" % (cycle, err, node.log_tail()))
                break
            cycles_done += 1
            lost = check_acked(node, ledger, "cycle %d" % cycle, failures, "c%d-" % cycle)
            n_acked = sum(len(s) for s in ledger.acked.values())
            print("cycle %d: acked so far %d, lost this cycle %d" % (cycle, n_acked, lost), flush=True)
            if lost:
                break
        # Every acked id of every cycle, then indeterminate -> present, and no phantom documents.
        if cycles_done and not failures:
            check_acked(node, ledger, "final", failures, "")
        node.call("POST", "/_refresh")
        ind_total = ind_present = 0
        for index in INDICES:
            ind = ledger.indeterminate[index] - ledger.acked[index]
            present = mget_present(node, index, ind) if ind else set()
            ind_total += len(ind)
            ind_present += len(present)
            status, body = node.call("GET", "/%s/_count" % index)
            expected = len(ledger.acked[index]) + len(present)
            if status != 200 or body.get("count") != expected:
                failures.append("%s: _count %s but acked+indeterminate-present = %d (phantom or lost docs)"
                                % (index, body, expected))
        n_acked = sum(len(s) for s in ledger.acked.values())
        n_lost = sum(int(f.split(" lost ")[1].split()[0]) for f in failures if " lost " in f)
        print("acked lost: %d of %d over %d cycles" % (n_lost, n_acked, cycles_done))
        pct = 100.0 * ind_present / ind_total if ind_total else 0.0
        print("indeterminate->present: %d of %d (%.1f%%)" % (ind_present, ind_total, pct))
        if n_acked == 0:
            failures.append("no write was acknowledged: the test proved nothing")
    except StopIteration:
        pass
    except (OSError, http.client.HTTPException, RuntimeError) as e:
        failures.append("error: %s: %s\n%s" % (type(e).__name__, e, node.log_tail()))
    except KeyboardInterrupt:
        failures.append("interrupted")
    finally:
        node.kill()
    for f in failures:
        print("FAIL " + f)
    print("took %.1fs" % (time.time() - started))
    if failures:
        print("data dir kept: %s" % tmp)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
