#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang (address and undefined-behaviour
# sanitizers, coverage in every library) and runs each for SECONDS.
#   fuzz/run.sh 60
# Needs clang and libclang-rt-14-dev (Debian 12); exits 77 without them.
set -eu
seconds=${1:-60}
cd "$(dirname "$0")/.."

if ! command -v clang >/dev/null; then
  echo "clang is not installed (apt-get install clang libclang-rt-14-dev)" >&2
  exit 77
fi

dir=build-fuzz
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang meson setup "$dir" -Dfuzzing=true -Dbuildtype=debugoptimized -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link,address,undefined \
    -Dc_link_args=-fsanitize=address,undefined
fi
ninja -C "$dir" fuzz/fuzz-ga450 fuzz/fuzz-hub-records fuzz/fuzz-kiosk-response fuzz/fuzz-release-json

status=0
for target in ga450 hub-records kiosk-response release-json; do
  corpus="$dir/fuzz/corpus-$target"
  mkdir -p "$corpus"
  echo "== fuzz-$target for ${seconds}s"
  # The seeds stay read-only; what libFuzzer learns goes into the build dir.
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "$dir/fuzz/fuzz-$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -artifact_prefix="$dir/fuzz/crash-$target-" "$corpus" "fuzz/corpus/$target" || status=1
done
exit $status
