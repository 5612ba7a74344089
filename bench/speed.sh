#!/usr/bin/env bash
# Search speed beside the Lucene anchor: the same one-segment debdocs indexes as parity.sh, the
# same query file (queries-debdocs.txt), `search` on both, one after the other on this machine,
# then both tables and Sift/Lucene ratios of the per-type mean and p50 latencies.
#   bench/speed.sh [DATA] [search args...]    e.g. bench/speed.sh /work/benchdata --iters 10 --warmup-rounds 3
# Indexes are reused when present; REBUILD=1 rebuilds Sift's (needed after a format change).
set -euo pipefail
. "$(dirname "$0")/anchor_env.sh"
shift "$DATA_ARGS"
compgen -G "$LUCENE_IDX/segments_*" > /dev/null || build_index lucene
if [ "${REBUILD:-0}" = 1 ] || [ ! -f "$SIFT_IDX/commit" ]; then build_index sift; fi
Q=$DATA/queries-debdocs.txt
R=$DATA/results
echo "== lucene"
"$LUCENE" search --index "$LUCENE_IDX" --queries "$Q" --field body --json "$R/search-lucene$SUFFIX.json" "$@"
echo "== sift"
"$SIFT_BENCH" search --index "$SIFT_IDX" --queries "$Q" --field body --json "$R/search-sift$SUFFIX.json" "$@"
echo "== sift / lucene (mean_us, p50_us)"
python3 - "$R/search-lucene$SUFFIX.json" "$R/search-sift$SUFFIX.json" <<'PY'
import json, sys
rows = [{(r["mode"], r["type"]): r for r in map(json.loads, open(p))} for p in sys.argv[1:]]
for key, l in rows[0].items():
    s = rows[1].get(key)
    if s and l["mean_us"] > 0 and l["p50_us"] > 0:
        ratios = s["mean_us"] / l["mean_us"], s["p50_us"] / l["p50_us"]
        print(f"{key[0]:<13} {key[1]:<13} {ratios[0]:8.2f} {ratios[1]:8.2f}")
PY
