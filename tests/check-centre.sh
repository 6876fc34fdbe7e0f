#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The one-command centre (scripts/centre.sh, what `scripts/kiosk.sh centre`
# runs), non-interactively: start it, take a number at the kiosk through its
# demo D-Bus input path, see it waiting at the counter and call it there, see
# the hub's bookings in the kiosk's database, check one in on the keypad and
# see it in the appointment lane and checked in on the hub, stop it, and check that nothing
# it started is left running. TAP; skipped where PostgreSQL, Xvfb or D-Bus is
# missing.
#   check-centre.sh SOURCE_ROOT BUILD_ROOT
set -uo pipefail
root=$1
build=$2
n=0
fail=0

ok() {
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

for tool in openssl Xvfb dbus-daemon gdbus curl python3 sqlite3 psql runuser zbarimg; do
  command -v "$tool" >/dev/null || { echo "1..0 # SKIP $tool is missing"; exit 77; }
done
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "1..0 # SKIP PostgreSQL is missing"; exit 77; }

work=$(mktemp -d /tmp/check-centre.XXXXXX)
chmod 755 "$work" # as root, PostgreSQL runs as postgres and must reach its folder
dir=$work/centre
cleanup() {
  [ -f "$dir/centre.env" ] && "$root/scripts/centre.sh" stop "$dir" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# The default content open round the clock, so the test passes at 3 a.m. too.
python3 "$root/bench/soak/soak-content.py" "$root/assets/content/default" "$work/soak" 0 >/dev/null

echo "1..12"
start=$(date +%s)
env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS BUILD="$build" \
  "$root/scripts/centre.sh" start --dir "$dir" --content "$work/soak/content" >"$work/start.out" 2>&1
status=$?
sed 's/^/# /' "$work/start.out"
ok $status "centre.sh start"
if [ $status -ne 0 ]; then
  for what in "it prints" "a ticket" "it waits" "it is called" "bookings" "check-in" "lane" "again" "QR" "ID card" "stop"; do
    ok 1 "$what (not started)"
  done
  exit 1
fi
grep -q "^  console     https://127.0.0.1:[0-9]*/console (account chief, one-time password .\{8,\})$" "$work/start.out" \
  && grep -q "^  counter 1   https://127.0.0.1:[0-9]*/counter/1?token=" "$work/start.out" \
  && grep -q "^Stop it:      .*centre.sh stop $dir$" "$work/start.out"
ok $? "it prints the console with its first account, the counter page and how to stop it"

get() { sed -n "s/^$1=//p" "$dir/centre.env"; }
bus=$(get bus)
web=$(get web_url)
token=$(get staff_token)

# A person takes a number: the first service of the content (counter 1's).
label=""
for _ in $(seq 60); do
  reply=$(DBUS_SESSION_BUS_ADDRESS=$bus gdbus call --session --dest org.linli.Kiosk --object-path /org/linli/Kiosk \
    --method org.linli.Kiosk.Demo.TakeTicket 0 false 2>&1)
  label=$(echo "$reply" | sed -n "s/^('[^']*', '\([A-Z][0-9]*\)', 'printed')$/\1/p")
  [ -n "$label" ] && break
  sleep 0.5
done
echo "# TakeTicket: $reply"
[ -n "$label" ]
ok $? "a ticket is taken at the kiosk ($label)"

# It reaches the hub and waits at counter 1.
waiting=1
for _ in $(seq 60); do
  desk=$(curl -s --cacert "$dir/pki/ca.crt" -H "Authorization: Bearer $token" "$web/api/counter/1")
  echo "$desk" | grep -q "\"label\":\"$label\"" && { waiting=0; break; }
  sleep 0.5
done
echo "# counter 1: ${desk:0:240}"
ok $waiting "the ticket waits at counter 1"

called=$(curl -s --cacert "$dir/pki/ca.crt" -X POST -H "Authorization: Bearer $token" "$web/api/counter/1/next")
echo "# next: $called"
echo "$called" | grep -q "\"label\":\"$label\""
ok $? "counter 1 calls it"

# The sample bookings reached the kiosk (the running application's sync).
bookings=0
for _ in $(seq 60); do
  bookings=$(sqlite3 "$dir/kiosk/state/kiosk.db" "SELECT count (*) FROM appointments" 2>/dev/null || echo 0)
  [ "$bookings" = 2 ] && break
  sleep 0.5
done
[ "$bookings" = 2 ]
ok $? "the hub's two bookings are in the kiosk's database ($bookings)"

# A resident checks DEMO01 in on the keypad: a ticket in the appointment lane,
# waiting at counter 1 as such, and the booking checked in on the hub.
reply=$(DBUS_SESSION_BUS_ADDRESS=$bus gdbus call --session --dest org.linli.Kiosk --object-path /org/linli/Kiosk \
  --method org.linli.Kiosk.Demo.CheckIn "demo-01" 2>&1)
echo "# CheckIn: $reply"
booked=$(echo "$reply" | sed -n "s/^('[^']*', '\([A-Z][0-9]*\)', 'appointment')$/\1/p")
[ -n "$booked" ]
ok $? "DEMO01 checks in at the kiosk ($booked, appointment lane)"
checked=1
for _ in $(seq 60); do
  desk=$(curl -s --cacert "$dir/pki/ca.crt" -H "Authorization: Bearer $token" "$web/api/counter/1")
  state=$(psql -Atc "SELECT status FROM appointments WHERE code_hint = '****01'" "$(get db)" 2>&1)
  echo "$desk" | grep -q "\"label\":\"$booked\",\"service\":\"[^\"]*\",\"lane\":\"appointment\"" \
    && [ "$state" = checked_in ] && { checked=0; break; }
  sleep 0.5
done
echo "# counter 1: ${desk:0:240}; booking on the hub: $state"
ok $checked "it waits at counter 1 in the appointment lane, and the hub has the booking checked in"
reply=$(DBUS_SESSION_BUS_ADDRESS=$bus gdbus call --session --dest org.linli.Kiosk --object-path /org/linli/Kiosk \
  --method org.linli.Kiosk.Demo.CheckIn "DEMO01" 2>&1)
[ "$reply" = "('', '', 'refused')" ]
ok $? "a second check-in of DEMO01 is refused ($reply)"

# The newest slip's QR opens the ticket's page on the hub, over HTTPS.
slip=$(ls -t "$dir"/kiosk/state/slips/*.png 2>/dev/null | head -n 1)
url=$(zbarimg -q --raw "$slip" 2>/dev/null | head -n 1)
page=$(curl -s --cacert "$dir/pki/ca.crt" "$url")
echo "# slip $slip: QR $url"
[[ $url == "$web/t/"* ]] && echo "$page" | grep -q "<html"
ok $? "the slip's QR opens the ticket's page on the hub"

# DEMO02 by its holder's ID card, on the (demo) reader.
reply=$(DBUS_SESSION_BUS_ADDRESS=$bus gdbus call --session --dest org.linli.Kiosk --object-path /org/linli/Kiosk \
  --method org.linli.Kiosk.Demo.CheckIn "11010519491231002X" 2>&1)
echo "# CheckIn by ID: $reply"
echo "$reply" | grep -q "^('[^']*', '[A-Z][0-9]*', 'appointment')$"
ok $? "DEMO02 checks in with the ID card"

# Stop: every process it started is gone, and none holds its folder.
pids=$(sed -n 's/^[a-z]*_pid=//p' "$dir/centre.env")
"$root/scripts/centre.sh" stop "$dir" | sed 's/^/# /'
left=""
for pid in $pids; do
  # Gone, or a zombie its reaper has not collected yet (nothing runs in it).
  [ -r "/proc/$pid/stat" ] && ! sed 's/^.*) //' "/proc/$pid/stat" | grep -q '^Z' && left="$left $pid"
done
for cmdline in /proc/[0-9]*/cmdline; do
  text=$(tr '\0' ' ' <"$cmdline" 2>/dev/null)
  [[ $text == *"$dir"* ]] && left="$left ${cmdline#/proc/}"
done
echo "# left running:${left:- nothing}; $(($(date +%s) - start)) s in all"
[ -z "$left" ]
ok $? "stop leaves nothing running"
exit $fail
