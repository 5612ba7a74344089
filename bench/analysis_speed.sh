#!/usr/bin/env bash
# Analyzer throughput, Sift against Lucene 8.7 on the same text in the same run:
#   bench/analysis_speed.sh FILE [ROUNDS] [ANALYZERS...]     (default analyzers: standard english)
# FILE has one text per line (bench/analyzer_parity.py --dump-texts writes one from debdocs).
# Runs `sift-bench speed` (build-bench/, Release) and ../shared/bench/lucene/analyze.sh speed for
# each analyzer, alternating, and prints both lines and the ratio. Needs java for the Lucene side;
# without it only Sift's figures are printed.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
FILE=${1:?usage: analysis_speed.sh FILE [ROUNDS] [ANALYZERS...]}
ROUNDS=${2:-5}
shift $(( $# >= 2 ? 2 : 1 ))
ANALYZERS=("$@")
[ ${#ANALYZERS[@]} -gt 0 ] || ANALYZERS=(standard english)
BUILD=${SIFT_BENCH_BUILD:-$ROOT/build-bench}
if [ ! -x "$BUILD/bench/sift-bench" ]; then
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$BUILD" sift-bench >/dev/null
LUCENE=${LUCENE_ANALYZE:-$ROOT/../shared/bench/lucene/analyze.sh}
mbps() { sed -n 's/.*MB_per_s=\([0-9.]*\).*/\1/p'; }
for a in "${ANALYZERS[@]}"; do
  sift=$("$BUILD/bench/sift-bench" speed "$a" "$FILE" "$ROUNDS")
  echo "sift   $sift"
  if command -v java >/dev/null && [ -x "$LUCENE" ]; then
    lucene=$("$LUCENE" speed "$a" "$FILE" "$ROUNDS" 2>/dev/null)
    echo "lucene $lucene"
    s=$(echo "$sift" | mbps); l=$(echo "$lucene" | mbps)
    awk -v a="$a" -v s="$s" -v l="$l" 'BEGIN { printf "%s: sift/lucene = %.2f\n", a, s / l }'
  fi
done
