# Sourced by parity.sh and speed.sh: paths, and the two one-segment debdocs indexes (Lucene anchor
# and Sift) built from the same JSONL with the same settings.
#   DATA        data dir: debdocs.jsonl, indexes, results (a first argument not starting with --,
#               else $DATA, else /work/benchdata)
#   ANCHOR      the shared bench dir (default ../shared/bench next to this repo; read-only)
#   SIFT_BENCH  the sift-bench binary (default build-bench/bench/sift-bench)
#   MAX_DOCS    index only the first N docs (separate index dirs; default: all)
DATA=${DATA:-/work/benchdata}
DATA_ARGS=0
if [ $# -gt 0 ] && [[ $1 != --* ]]; then DATA=$1 DATA_ARGS=1; fi
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ANCHOR=${ANCHOR:-$REPO/../shared/bench}
SIFT_BENCH=${SIFT_BENCH:-$REPO/build/bench/sift-bench}
MAX_DOCS=${MAX_DOCS:-0}
SUFFIX=$([ "$MAX_DOCS" -gt 0 ] && echo "-$MAX_DOCS" || true)
LUCENE_IDX=$DATA/idx-debdocs-lucene$SUFFIX
SIFT_IDX=$DATA/idx-debdocs-sift$SUFFIX
LUCENE=$DATA/lucene-build/run.sh
mkdir -p "$DATA/results"

[ -s "$DATA/debdocs.jsonl" ] || { echo "missing $DATA/debdocs.jsonl (see $ANCHOR/README.md)" >&2; exit 2; }
[ -x "$SIFT_BENCH" ] || { echo "missing $SIFT_BENCH: build it (ninja sift-bench)" >&2; exit 2; }
if [ ! -s "$DATA/score-queries-debdocs.txt" ] || [ ! -s "$DATA/queries-debdocs.txt" ]; then
  python3 "$ANCHOR/corpus/make_queries.py" "$DATA/debdocs.jsonl" --out "$DATA/queries-debdocs.txt" \
    --scores-out "$DATA/score-queries-debdocs.txt" >&2
fi
# The anchor dir is read-only and build.sh writes next to the sources: build a copy.
if [ ! -f "$DATA/lucene-build/build/classpath" ]; then
  rm -rf "$DATA/lucene-build" && cp -r "$ANCHOR/lucene" "$DATA/lucene-build"
  "$DATA/lucene-build/build.sh" >&2
fi

# build_index lucene|sift: one segment (--force-merge), _source stored, 1 thread, 256 MB buffer.
build_index() {
  local args=(index --input "$DATA/debdocs.jsonl" --type text --threads 1 --ram-mb 256 --force-merge)
  [ "$MAX_DOCS" -gt 0 ] && args+=(--max-docs "$MAX_DOCS")
  if [ "$1" = lucene ]; then
    "$LUCENE" "${args[@]}" --index "$LUCENE_IDX" | tee "$DATA/results/index-lucene$SUFFIX.txt" >&2
  else
    "$SIFT_BENCH" "${args[@]}" --index "$SIFT_IDX" | tee "$DATA/results/index-sift$SUFFIX.txt" >&2
  fi
}
