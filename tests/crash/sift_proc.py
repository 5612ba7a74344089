"""Shared helpers for the crash tests: a sift child process on 127.0.0.1 and a tiny JSON client."""
import http.client, json, os, re, signal, socket, subprocess, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sift:
    """One sift process on a fixed data dir; start() may be called again after kill()."""

    def __init__(self, binary, data_dir, log_path, port=None):
        self.binary, self.data, self.log_path = binary, data_dir, log_path
        self.port = port or free_port()
        self.proc = None

    def start(self, limit_s=20):
        """Starts and waits for the 'started' log line. Returns None, or an error string."""
        offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([self.binary, "--data", self.data, "--port", str(self.port)],
                                     stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.time() + limit_s
        while time.time() < deadline:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                if re.search(rb"sift .* started", f.read()):
                    return None
            if self.proc.poll() is not None:
                return "sift exited with %s at start" % self.proc.returncode
            time.sleep(0.02)
        self.kill()
        return "sift did not start within %ds" % limit_s

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc:
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, n=30):
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def call(self, method, path, body=None, ndjson=None, timeout=30):
        """Returns (status, parsed JSON or raw text). Raises OSError/HTTPException on transport errors."""
        headers = {}
        data = None
        if ndjson is not None:
            data = "".join(json.dumps(l) + "\n" for l in ndjson).encode()
            headers["Content-Type"] = "application/x-ndjson"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        try:
            return resp.status, json.loads(raw) if raw else None
        except ValueError:
            return resp.status, raw.decode("utf-8", "replace")


def mget_present(node, index, ids, batch=1000):
    """The subset of ids that a realtime _mget finds in index."""
    present = set()
    ids = sorted(ids)
    for i in range(0, len(ids), batch):
        status, body = node.call("POST", "/%s/_mget?_source=false&realtime=true" % index,
                                 body={"ids": ids[i:i + batch]}, timeout=60)
        if status != 200:
            raise RuntimeError("_mget on %s: %d %s" % (index, status, str(body)[:300]))
        for d in body["docs"]:
            if d.get("found"):
                present.add(d["_id"])
            elif "error" in d:
                raise RuntimeError("_mget item error on %s: %s" % (index, d["error"]))
    return present
