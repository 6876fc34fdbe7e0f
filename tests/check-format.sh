#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fails when a C file differs from what .clang-format makes of it.
# Fix with: clang-format -i $(git ls-files '*.c' '*.h')
set -eu
cd "$1"
command -v clang-format >/dev/null || { echo "1..0 # SKIP clang-format not installed"; exit 77; }
if [ -d .git ]; then
  files=$(git ls-files '*.c' '*.h')
else
  files=$(find kiosk drivers ui hub tests bench -name '*.[ch]' 2>/dev/null)
fi
bad=0
for f in $files; do
  if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
    echo "not formatted: $f"
    bad=1
  fi
done
exit $bad
