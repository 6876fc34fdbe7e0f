#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The kiosk under Debian 12's cage (0.1.4) with wlroots' headless backend:
# with one output, and with none at all, as when cage is started again by
# systemd while the monitor is unplugged (cage 0.1.4 exits when its last
# output goes). Either way the kiosk must send READY=1 and keep pinging the
# watchdog from its main loop. Exit 77 where cage or Xwayland is missing.
set -euo pipefail
kiosk=$1
command -v cage >/dev/null || { echo "1..0 # SKIP cage not installed"; exit 0; }
[ -x /usr/bin/Xwayland ] || { echo "1..0 # SKIP Xwayland not installed (cage 0.1.4 needs it)"; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

# cage refuses to run as root: run it as nobody where we are root.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(runuser -u nobody --)
  chown nobody "$work"
fi

echo "1..2"
n=0
for outputs in 1 0; do
  n=$((n + 1))
  rm -rf "$work/run" "$work/state" "$work/notify.log" "$work/notify.sock"
  mkdir -m 700 "$work/run" "$work/state"
  [ "$(id -u)" -eq 0 ] && chown nobody "$work/run" "$work/state"
  python3 - "$work/notify.sock" 12 > "$work/notify.log" <<'PY' &
import os, socket, sys, time
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
os.chmod(path, 0o777)
s.settimeout(0.5)
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        print(s.recv(4096).decode().replace("\n", " | "), flush=True)
    except socket.timeout:
        pass
PY
  listener=$!
  sleep 0.5
  "${as_user[@]}" env XDG_RUNTIME_DIR="$work/run" NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=2000000 \
    WLR_BACKENDS=headless WLR_HEADLESS_OUTPUTS=$outputs WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
    timeout -s KILL 10 cage -- "$kiosk" --demo --state-dir "$work/state" > "$work/cage.log" 2>&1 || true
  wait "$listener" || true
  sed 's/^/# /' "$work/notify.log"
  pings=$(grep -c '^WATCHDOG=1' "$work/notify.log" || true)
  if grep -q '^READY=1' "$work/notify.log" && [ "$pings" -ge 3 ]; then
    echo "ok $n - cage with $outputs output(s): ready, $pings watchdog pings"
  else
    sed 's/^/# cage: /' "$work/cage.log"
    echo "not ok $n - cage with $outputs output(s): ready and watchdog pings expected"
  fi
done
