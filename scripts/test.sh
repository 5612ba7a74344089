#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit tests, REST spec tests against a
# real sift process, crash and translog tests (Release), then the unit and REST tests again with
# AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)

echo "== Release build and tests"
scripts/build.sh build Release
(cd build && ctest --output-on-failure -j"$jobs")

if [ "${SIFT_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== ASan/UBSan build and tests"
  scripts/build.sh build-asan RelWithDebInfo -DSIFT_SANITIZE=ON
  (cd build-asan && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -E '^crash:')
fi
