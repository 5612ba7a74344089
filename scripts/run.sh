#!/usr/bin/env bash
# Installs what is missing, builds Release, and starts one node (data in ./data, port 9200).
# Extra arguments go to sift, e.g. scripts/run.sh --port 9201.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh build Release
exec build/sift --data ./data --port 9200 "$@"
