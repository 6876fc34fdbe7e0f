#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's commands on a fresh Debian 12 machine:
#   scripts/kiosk.sh demo     install what is missing, build, start the kiosk in demo mode
#   scripts/kiosk.sh centre   install what is missing, build, start a whole centre on this machine
#                             (PostgreSQL, hub, one kiosk, counters; scripts/centre.sh, Ctrl-C stops it)
#   scripts/kiosk.sh test     install what is missing, build, run every test suite
set -euo pipefail
cd "$(dirname "$0")/.."

# Build and run-time packages, all from Debian 12. One list, used by both commands.
PACKAGES=(
  build-essential meson ninja-build pkg-config gettext clang-format clang libclang-rt-14-dev
  libglib2.0-dev libgtk-4-dev libsqlite3-dev libjson-glib-dev libqrencode-dev
  libcurl4-openssl-dev libevdev-dev libpango1.0-dev libcairo2-dev libsodium-dev
  libsoup-3.0-dev libpq-dev
  fonts-noto-cjk locales tzdata sqlite3
  xvfb xauth zbar-tools imagemagick valgrind openssl postgresql cage xwayland systemd
  qemu-system-x86 linux-image-amd64 busybox-static cpio
  chromium libxtst-dev dbus nodejs curl
  debhelper lintian
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  # npm: Debian's package on a plain Debian 12; where nodejs already carries
  # its own npm (NodeSource builds), Debian's would conflict with it.
  if ! command -v npm >/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
  fi
  # The kiosk speaks Chinese first and English second: both locales must exist.
  if ! locale -a 2>/dev/null | grep -qi '^zh_CN.utf8$' || ! locale -a 2>/dev/null | grep -qi '^en_US.utf8$'; then
    as_root sed -i -E 's/^# *(zh_CN.UTF-8 UTF-8|en_US.UTF-8 UTF-8)/\1/' /etc/locale.gen
    as_root locale-gen >/dev/null
  fi
}

build() {
  local dir=$1; shift
  [ -f "$dir/build.ninja" ] || meson setup "$dir" "$@"
  meson compile -C "$dir"
}

case "${1:-}" in
  demo)
    install_missing
    build build
    exec ./build/ui/linli-kiosk --demo "${@:2}"
    ;;
  centre)
    install_missing
    build build
    BUILD=build exec scripts/centre.sh run "${@:2}"
    ;;
  test)
    install_missing
    # The sanitizers first: the core, hub and ui suites under address, leak and
    # undefined behaviour checks (tests/lsan.supp names the libraries' own
    # leaks). Everything runs several times slower there: -t 5.
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      xvfb-run -a -s "-screen 0 1920x1920x24" \
      meson test -C build-asan --suite core --suite hub --suite ui -t 5 --print-errorlogs
    # libFuzzer on every parser of outside bytes, 10 s each (about two minutes
    # on 2 cores), inputs up to 1 MiB from fuzz/corpus; a crash, leak or failed
    # check fails the run (fuzz/run.sh builds build-fuzz with clang).
    fuzz/run.sh 10
    build build
    # playwright-core for the hub pages' browser test (drives the system chromium).
    (cd tests/browser && npm ci --no-audit --no-fund)
    # Every suite last, so the run ends with meson's summary; ui tests get a display.
    xvfb-run -a -s "-screen 0 1920x1920x24" meson test -C build --print-errorlogs --num-processes 2
    ;;
  *)
    echo "usage: $0 demo|centre|test" >&2
    exit 2
    ;;
esac
