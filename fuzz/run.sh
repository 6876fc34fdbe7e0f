#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang (address and undefined-behaviour
# sanitizers, coverage in every library) and runs each for SECONDS on inputs
# up to 1 MiB, starting from fuzz/corpus/common and its own seeds. Exits
# non-zero when any target crashes, leaks or fails a check; the input that
# did it is left in build-fuzz/fuzz/crash-TARGET-*.
#   fuzz/run.sh 60              every target, 60 s each
#   fuzz/run.sh 300 manifest    one target
# Needs clang and libclang-rt-14-dev (Debian 12); exits 77 without them.
set -eu
seconds=${1:-60}
shift $(($# > 0 ? 1 : 0))
cd "$(dirname "$0")/.."
targets=${*:-json manifest release-json kiosk-response credentials appointments hub-records hub-heartbeat hub-web hub-content hub-console ga450}

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
ninja -C "$dir" $(for t in $targets; do printf 'fuzz/fuzz-%s ' "$t"; done)

status=0
for target in $targets; do
  corpus="$dir/fuzz/corpus-$target"
  mkdir -p "$corpus"
  # The JSON seeds (deep, large, duplicate keys) for every target that reads JSON.
  common=fuzz/corpus/common
  [ "$target" = ga450 ] && common=
  echo "== fuzz-$target for ${seconds}s"
  # The seeds stay read-only; what libFuzzer learns goes into the build dir.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp" \
    "$dir/fuzz/fuzz-$target" -max_total_time="$seconds" -max_len=1048576 -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$dir/fuzz/crash-$target-" \
    "$corpus" $common "fuzz/corpus/$target" || status=1
done
exit $status
