"""Shared helpers for the bench/ drivers (Python 3 stdlib only).

Starts a `sift` process on a data dir and a free port, waits for it to answer,
reads its memory from /proc, and describes the machine and the build for the JSON
reports. The drivers (ingest_bench.py, startup_bench.py) own the measurements.
"""
import hashlib
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SIFT = os.path.join(REPO, "build", "sift")
STARTED_RE = re.compile(r"started in ([0-9.]+) ?ms")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid):
    """VmRSS / VmHWM / RssAnon / RssFile of a process in MB (None if it is gone)."""
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:", "RssAnon:", "RssFile:")):
                    key, val = line.split(":", 1)
                    out[key] = int(val.split()[0]) / 1024.0
    except OSError:
        return None
    return out


def proc_cpu_seconds(pid):
    """utime + stime of a process in seconds (None if it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def proc_threads(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return None


def dir_size_mb(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total / (1024.0 * 1024.0)


def machine_info():
    model = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gb = None
    try:
        with open("/proc/meminfo") as f:
            mem_gb = round(int(f.readline().split()[1]) / (1024.0 * 1024.0), 1)
    except (OSError, ValueError, IndexError):
        pass
    return {"nproc": os.cpu_count(), "model_name": model, "mem_gb": mem_gb,
            "kernel": platform.release(), "python": platform.python_version()}


def _run(cmd, cwd=REPO):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def build_info(sift, git_sha=None):
    """git sha (given, or the repo's HEAD via read-only git calls), dirty flag, compiler and
    build type of the binary. HEAD is only the binary's commit if it was built from it."""
    if git_sha:
        info = {"git_sha": git_sha, "git_sha_source": "given"}
    else:
        info = {"git_sha": _run(["git", "rev-parse", "HEAD"]) or None, "git_sha_source": "repo HEAD",
                "git_dirty": bool(_run(["git", "status", "--porcelain", "--untracked-files=no"]))}
    info["binary"] = os.path.abspath(sift)
    try:
        st = os.stat(sift)
        info["binary_mtime"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(st.st_mtime))
    except OSError:
        pass
    try:
        h = hashlib.sha256()
        with open(sift, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        info["binary_sha256"] = h.hexdigest()[:16]
    except OSError:
        pass
    cache = os.path.join(os.path.dirname(os.path.abspath(sift)), "CMakeCache.txt")
    if not os.path.exists(cache):   # a copied binary: describe the repo's build
        cache = os.path.join(REPO, "build", "CMakeCache.txt")
    try:
        with open(cache) as f:
            for line in f:
                if line.startswith("CMAKE_BUILD_TYPE:"):
                    info["build_type"] = line.split("=", 1)[1].strip()
                elif line.startswith("CMAKE_CXX_COMPILER:"):
                    cxx = line.split("=", 1)[1].strip()
                    info["compiler"] = _run([cxx, "--version"]).splitlines()[0] if cxx else None
    except OSError:
        pass
    return info


class Server:
    """One `sift --data DIR --port N` child. Collects its stderr, parses the
    "started in X ms" line, and is always killed by stop()/kill()."""

    def __init__(self, sift, data_dir, port=None, extra_args=()):
        self.sift = sift
        self.data_dir = data_dir
        self.port = port or free_port()
        self.extra_args = list(extra_args)
        self.proc = None
        self.stderr_lines = []
        self.started_ms = None
        self.spawn_t = None
        self._started_evt = threading.Event()

    def start(self):
        self.spawn_t = time.monotonic()
        self.proc = subprocess.Popen(
            [self.sift, "--data", self.data_dir, "--port", str(self.port)] + self.extra_args,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        threading.Thread(target=self._read_stderr, daemon=True).start()
        return self

    def _read_stderr(self):
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.stderr_lines.append(line)
            if len(self.stderr_lines) > 2000:
                del self.stderr_lines[:1000]
            m = STARTED_RE.search(line)
            if m and self.started_ms is None:
                self.started_ms = float(m.group(1))
                self._started_evt.set()

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout=30.0):
        """Poll GET / until it answers 200. Returns wall seconds from spawn to that answer."""
        deadline = self.spawn_t + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"sift exited with {self.proc.returncode}: " + "\n".join(self.stderr_lines[-20:]))
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/")
                resp = conn.getresponse()
                resp.read()
                if resp.status == 200:
                    return time.monotonic() - self.spawn_t
            except OSError:
                pass
            finally:
                conn.close()
            time.sleep(0.001)
        raise TimeoutError(f"sift did not answer GET / within {timeout} s")

    def wait_started_line(self, timeout=2.0):
        self._started_evt.wait(timeout)
        return self.started_ms

    def stop(self, timeout=30.0):
        """SIGTERM, wait; SIGKILL if it does not stop. Returns seconds to exit."""
        if self.proc is None or self.proc.poll() is not None:
            return None
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return time.monotonic() - t0

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def request(port, method, path, body=None, content_type="application/json", timeout=60):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": content_type} if body is not None else {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        try:
            return resp.status, json.loads(data) if data else None
        except ValueError:
            return resp.status, data.decode("utf-8", "replace")
    finally:
        conn.close()


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


def median(values):
    return statistics.median(values) if values else None
