#!/usr/bin/env bash
# Score parity with the Lucene anchor: both engines index debdocs into one segment, run `topk`
# (top 10, exact totals) over the score queries, and compare_topk.py checks total hits, ids (ties
# in any order) and scores within REL_TOL (default 1e-5). Exit status: compare_topk.py's.
#   bench/parity.sh [DATA]      (see anchor_env.sh for DATA, SIFT_BENCH, MAX_DOCS)
# The Sift index is rebuilt every run (it is what is under test); the Lucene index when missing.
set -euo pipefail
. "$(dirname "$0")/anchor_env.sh"
compgen -G "$LUCENE_IDX/segments_*" > /dev/null || build_index lucene
build_index sift
Q=$DATA/score-queries-debdocs.txt
L=$DATA/results/topk-lucene$SUFFIX.tsv
S=$DATA/results/topk-sift$SUFFIX.tsv
"$LUCENE" topk --index "$LUCENE_IDX" --queries "$Q" --field body --k 10 > "$L"
"$SIFT_BENCH" topk --index "$SIFT_IDX" --queries "$Q" --field body --k 10 > "$S"
python3 "$ANCHOR/compare_topk.py" "$L" "$S" --rel-tol "${REL_TOL:-1e-5}"
