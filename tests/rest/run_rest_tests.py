#!/usr/bin/env python3
"""REST spec tests: run every tests/rest/**/*.yml file against a real `sift` process.

Usage: run_rest_tests.py [--sift PATH | --url URL] [--dir DIR] [--filter REGEX] [-v]
Prints one line per file, then exactly one closing line "N passed, M failed" (N, M count tests).
Exit code 1 when anything failed (including a server crash or an index left behind).

File format (YAML): a list of tests.
  - name: create an index          # required
    skip: "why"                     # optional: the test is reported as skipped with this reason
    steps:                          # required: run in order; the first failing step fails the test
      - request: PUT /idx?pretty    # "METHOD path"; ${var} is substituted in path, body, headers, match
        body: {settings: {...}}     # JSON body (any YAML value), sent as application/json
        ndjson: [{index: {}}, {a: 1}]  # or: ndjson lines (each dumped as one JSON line, trailing \n)
        raw_body: "{bad"            # or: raw bytes; a string or a list of parts, each a string,
                                    #   {repeat: "[", times: 100000} or {hex: "c3 28"}
        gzip: true                  # gzip the body and send Content-Encoding: gzip
        headers: {Accept-Encoding: gzip}   # request headers (Content-Type defaults to JSON/ndjson)
        timeout: 30                 # per-request timeout in seconds (default 30)
        # expectations
        status: 200                 # HTTP status (an int or a list of allowed ints)
        match:                      # subset match on the JSON response; keys are dotted paths
          version.number: "7.10.2"  #   (numbers index arrays; "\\." escapes a literal dot)
          hits.hits.0._id: "1"
          error: {type: index_not_found_exception}   # dict = subset, list = same length, elementwise
          _id: $string              # $any (present), $number, $string, $absent, /regex/ (on strings
                                    #   and on the JSON text of non-strings)
        length: {hits.hits: 2}      # len() of the array/object at the path ("" = the root)
        body_regex: "^green"        # re.search on the (decompressed) response text
        response_headers: {content-type: "application/json; charset=UTF-8", content-encoding: $absent}
        set: {seq: _seq_no}         # capture values from the response into ${seq}
A whole ${var} string value is replaced by the captured value itself (so numbers stay numbers).
Between files every index is deleted (DELETE /*?expand_wildcards=all) and GET /_cat/indices must be empty.
"""
import argparse, glob, gzip, http.client, json, os, re, shutil, signal, socket, subprocess, sys, tempfile, time, zlib
import urllib.parse

import yaml

TOTAL_LIMIT_S = 150          # the whole run; CTest's TIMEOUT (180) is above this
START_LIMIT_S = 10


class StepFailure(Exception):
    pass


class Server:
    """A sift child process on a free port with a fresh data dir; always killed in stop()."""

    def __init__(self, binary):
        self.binary, self.proc, self.tmp = binary, None, tempfile.mkdtemp(prefix="sift-rest-")
        self.log_path = os.path.join(self.tmp, "sift.log")
        self.starts = 0

    def start(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.starts += 1
        data = os.path.join(self.tmp, "data%d" % self.starts)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "--data", data, "--port", str(port)],
                                     stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.time() + START_LIMIT_S
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("sift exited at start with %s\n%s" % (self.proc.returncode, self.tail()))
            with open(self.log_path, "rb") as f:
                if re.search(rb"sift .* started", f.read()):
                    return "http://127.0.0.1:%d" % port
            time.sleep(0.02)
        raise RuntimeError("sift did not log 'started' within %ds\n%s" % (START_LIMIT_S, self.tail()))

    def crashed(self):
        return self.proc is not None and self.proc.poll() is not None

    def tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


def http_call(url, method, path, body=None, headers=None, timeout=30):
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        raw = resp.read()
        hdrs = {k.lower(): v for k, v in resp.getheaders()}
        return resp.status, hdrs, raw
    finally:
        conn.close()


def subst(value, env):
    if isinstance(value, str):
        m = re.fullmatch(r"\$\{(\w+)\}", value)
        if m:
            return env[m.group(1)]
        return re.sub(r"\$\{(\w+)\}", lambda g: str(env[g.group(1)]), value)
    if isinstance(value, list):
        return [subst(v, env) for v in value]
    if isinstance(value, dict):
        return {subst(k, env): subst(v, env) for k, v in value.items()}
    return value


def raw_bytes(spec):
    if isinstance(spec, str):
        return spec.encode("utf-8")
    out = bytearray()
    for part in spec:
        if isinstance(part, str):
            out += part.encode("utf-8")
        elif "repeat" in part:
            out += part["repeat"].encode("utf-8") * int(part["times"])
        elif "hex" in part:
            out += bytes.fromhex(part["hex"])
        else:
            raise ValueError("bad raw_body part %r" % (part,))
    return bytes(out)


_MISSING = object()


def lookup(doc, path):
    path = str(path)
    if path in ("", "$body"):
        return doc
    cur = doc
    for key in re.split(r"(?<!\\)\.", path):
        key = key.replace("\\.", ".")
        if isinstance(cur, dict) and key in cur:
            cur = cur[key]
        elif isinstance(cur, list) and re.fullmatch(r"\d+", key) and int(key) < len(cur):
            cur = cur[int(key)]
        else:
            return _MISSING
    return cur


def check_value(path, actual, expected):
    """Returns None when actual matches expected, else a message."""
    if expected == "$absent":
        return None if actual is _MISSING else "%s: expected absent, got %s" % (path, short(actual))
    if actual is _MISSING:
        return "%s: missing (expected %s)" % (path, short(expected))
    if expected == "$any":
        return None
    if expected == "$number":
        ok = isinstance(actual, (int, float)) and not isinstance(actual, bool)
        return None if ok else "%s: expected a number, got %s" % (path, short(actual))
    if expected == "$string":
        return None if isinstance(actual, str) else "%s: expected a string, got %s" % (path, short(actual))
    if isinstance(expected, str) and len(expected) >= 2 and expected[0] == "/" and expected[-1] == "/":
        text = actual if isinstance(actual, str) else json.dumps(actual)
        ok = re.search(expected[1:-1], text, re.S)
        return None if ok else "%s: %s does not match %s" % (path, short(actual), expected)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return "%s: expected an object, got %s" % (path, short(actual))
        for k, v in expected.items():  # a literal key wins; else a dotted key is a path
            sub = actual[k] if k in actual else lookup(actual, k)
            err = check_value("%s.%s" % (path, k), sub, v)
            if err:
                return err
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return "%s: expected %s, got %s" % (path, short(expected), short(actual))
        for i, (a, e) in enumerate(zip(actual, expected)):
            err = check_value("%s.%d" % (path, i), a, e)
            if err:
                return err
        return None
    same = actual == expected and isinstance(actual, bool) == isinstance(expected, bool)
    return None if same else "%s: expected %s, got %s" % (path, short(expected), short(actual))


def short(v, n=300):
    s = "<missing>" if v is _MISSING else json.dumps(v) if not isinstance(v, bytes) else repr(v)
    return s if len(s) <= n else s[:n] + "..."


def run_step(url, step, env, verbose_log):
    method, _, path = subst(step["request"], env).partition(" ")
    headers = {str(k): str(v) for k, v in subst(step.get("headers", {}), env).items()}
    body = None
    if "body" in step:
        body = json.dumps(subst(step["body"], env)).encode("utf-8")
        headers.setdefault("Content-Type", "application/json")
    elif "ndjson" in step:
        body = "".join(json.dumps(l) + "\n" for l in subst(step["ndjson"], env)).encode("utf-8")
        headers.setdefault("Content-Type", "application/x-ndjson")
    elif "raw_body" in step:
        body = raw_bytes(subst(step["raw_body"], env))
        headers.setdefault("Content-Type", "application/json")
    if body is not None and step.get("gzip"):
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    try:
        status, rh, raw = http_call(url, method, path, body, headers, step.get("timeout", 30))
    except (OSError, http.client.HTTPException) as e:
        raise StepFailure("%s %s: request failed: %s: %s" % (method, path, type(e).__name__, e))
    enc = rh.get("content-encoding", "")
    if enc in ("gzip", "x-gzip"):
        raw = gzip.decompress(raw)
    elif enc == "deflate":
        raw = zlib.decompress(raw)
    text = raw.decode("utf-8", "replace")
    try:
        doc = json.loads(text) if text.strip() else _MISSING
    except ValueError:
        doc = _MISSING
    verbose_log.append("%s %s %s\n  -> %d %s\n  %s" % (method, path, short(body, 500) if body else "",
                                                      status, json.dumps(rh), text[:2000]))
    where = "%s %s" % (method, path[:120])
    want = step.get("status")
    if want is not None and status not in (want if isinstance(want, list) else [want]):
        raise StepFailure("%s: status %d, expected %s; body: %s" % (where, status, want, text[:400]))
    for name, exp in subst(step.get("response_headers", {}), env).items():
        err = check_value("header " + name, rh.get(name.lower(), _MISSING), exp)
        if err:
            raise StepFailure("%s: %s" % (where, err))
    if "body_regex" in step and not re.search(step["body_regex"], text, re.M):
        raise StepFailure("%s: body does not match /%s/: %s" % (where, step["body_regex"], text[:400]))
    for p, exp in subst(step.get("match", {}), env).items():
        err = check_value(p, lookup(doc, p) if doc is not _MISSING else _MISSING, exp)
        if err:
            raise StepFailure("%s: %s" % (where, err))
    for p, n in step.get("length", {}).items():
        v = lookup(doc, p) if doc is not _MISSING else _MISSING
        if not isinstance(v, (list, dict)) or len(v) != n:
            raise StepFailure("%s: length of %s: expected %d, got %s" % (where, p or "<root>", n, short(v)))

    for var, p in step.get("set", {}).items():
        v = lookup(doc, p) if doc is not _MISSING else _MISSING
        if v is _MISSING:
            raise StepFailure("%s: set %s: path %s missing" % (where, var, p))
        env[var] = v


def clean(url):
    status, _, raw = http_call(url, "DELETE", "/*?expand_wildcards=all")
    status, _, raw = http_call(url, "GET", "/_cat/indices?format=json")
    if status != 200 or json.loads(raw or b"[]") != []:
        return "indices left after cleanup: %d %s" % (status, raw[:300])
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sift", default=os.path.join(os.path.dirname(__file__), "../../build/sift"))
    ap.add_argument("--dir", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--filter", default=None, help="regex on the file path")
    ap.add_argument("--url", default=None, help="use a running server instead of starting one")
    ap.add_argument("-v", action="store_true", help="dump requests/responses of failing tests")
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.dir, "**", "*.yml"), recursive=True))
    if args.filter:
        files = [f for f in files if re.search(args.filter, os.path.relpath(f, args.dir))]
    passed = failed = skipped = 0
    started = time.time()
    server = None if args.url else Server(args.sift)

    def on_term(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)
    try:
        url = args.url or server.start()
        for path in files:
            rel = os.path.relpath(path, args.dir)
            if time.time() - started > TOTAL_LIMIT_S:
                print("ABORT %s: total time limit %ds reached" % (rel, TOTAL_LIMIT_S))
                failed += 1
                break
            try:
                with open(path, encoding="utf-8") as f:
                    tests = yaml.safe_load(f) or []
            except (OSError, yaml.YAMLError) as e:
                print("FAIL %s: cannot load: %s" % (rel, e))
                failed += 1
                continue
            fails = []
            for test in tests:
                if "skip" in test:
                    skipped += 1
                    print("  SKIP %s: %s" % (test["name"], test["skip"]))
                    continue
                env, log = {}, []
                try:
                    for i, step in enumerate(test["steps"]):
                        try:
                            run_step(url, step, env, log)
                        except StepFailure as e:
                            raise StepFailure("step %d: %s" % (i + 1, e))
                    passed += 1
                except Exception as e:  # a broken test file fails that test, not the run
                    failed += 1
                    msg = str(e) if isinstance(e, StepFailure) else "%s: %s" % (type(e).__name__, e)
                    fails.append("  FAIL %s: %s" % (test["name"], msg))
                    if args.v:
                        fails.append("    " + "\n    ".join(log[-3:]))
                if server and server.crashed():
                    fails.append("  CRASH: sift exited with %s during %r; log tail:\n%s"
                                 % (server.proc.returncode, test["name"], server.tail()))
                    failed += 1
                    url = server.start()  # keep going so the other files still report
            if not (server and server.crashed()):
                try:
                    err = clean(url)
                except (OSError, http.client.HTTPException, ValueError) as e:
                    err = "cleanup request failed: %s" % e
                if err:
                    fails.append("  CLEANUP: " + err)
                    failed += 1
            print("%s %s (%d tests)" % ("FAIL" if fails else "ok  ", rel, len(tests)))
            for line in fails:
                print(line)
            sys.stdout.flush()
    except KeyboardInterrupt:
        print("interrupted")
        failed += 1
    except (RuntimeError, OSError, http.client.HTTPException) as e:
        print("ERROR: %s: %s" % (type(e).__name__, e))
        failed += 1
    finally:
        if server:
            if server.crashed():
                print("CRASH: sift exited with %s; log tail:\n%s" % (server.proc.returncode, server.tail()))
                failed += 1
            server.stop()
            if failed:
                print("server log: %s" % server.log_path)
            else:
                shutil.rmtree(server.tmp, ignore_errors=True)
    if skipped:
        print("(%d skipped)" % skipped)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
