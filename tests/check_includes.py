#!/usr/bin/env python3
"""Fails when a file includes upward (breaking http -> cluster -> query -> index -> analyzers ->
common) or when a third-party library leaves its room (DESIGN.md, "Layout and the dependency rule").
Run with a source root; it first proves on a scratch tree that it catches a violation."""
import os, re, sys, tempfile

RANK = {"common": 0, "analyzers": 1, "index": 2, "query": 3, "cluster": 4, "http": 5}
# library include prefix -> modules allowed to use it
ROOMS = {
    "unicode/": {"analyzers"},
    "zstd": {"index", "query"},
    "roaring": {"index", "query"},
    "boost/": {"http", "cluster"},
    "rapidjson/": {"index", "query", "cluster", "http"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def violations(root):
    found = []
    for module in RANK:
        base = os.path.join(root, module)
        for dirpath, _, files in os.walk(base):
            for f in files:
                if not f.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(dirpath, f)
                text = open(path, encoding="utf-8", errors="replace").read()
                for inc in INCLUDE.findall(text):
                    top = inc.split("/")[0]
                    if top in RANK and RANK[top] > RANK[module]:
                        found.append(f"{path}: upward include of {inc}")
                    for prefix, allowed in ROOMS.items():
                        if inc.startswith(prefix):
                            if module not in allowed:
                                found.append(f"{path}: {inc} outside its modules {sorted(allowed)}")
                            elif prefix == "rapidjson/" and f.endswith(".h"):
                                found.append(f"{path}: RapidJSON in a header")
    return found


def self_test():
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "index"))
        with open(os.path.join(d, "index", "bad.h"), "w") as fh:
            fh.write('#include "http/router.h"\n#include <rapidjson/document.h>\n')
        got = violations(d)
        assert len(got) == 2, f"self-test: expected 2 violations, got {got}"


if __name__ == "__main__":
    self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = violations(root)
    for b in bad:
        print(b)
    print(f"include rule: {len(bad)} violations")
    sys.exit(1 if bad else 0)
