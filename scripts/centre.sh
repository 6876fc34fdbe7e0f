#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A whole centre on one machine, from a built tree (scripts/kiosk.sh centre
# installs and builds first):
#
#   scripts/centre.sh run   [--dir DIR] [--content DIR]   start, print the addresses, stop on Ctrl-C
#   scripts/centre.sh start [--dir DIR] [--content DIR]   start, print the addresses, return
#   scripts/centre.sh stop  DIR                           stop what start started, keep DIR
#
# It makes a throwaway PostgreSQL cluster (initdb in DIR, unix socket only),
# a CA and the hub's server certificate, a card key and a publishing key;
# starts linli-hub; enrols one kiosk with its own client certificate;
# publishes the content; adds one counter per queue; imports two sample
# bookings; and starts linli-kiosk --demo against the hub (on this display,
# or under Xvfb when there is none). Each step is the one docs/install.md
# describes for a real installation. BUILD (default: build) names the meson
# build directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD:-$root/build}
build=$(cd "$build" && pwd)
hub=$build/hub/linli-hub
kiosk=$build/ui/linli-kiosk
content_tool=$build/tools/linli-content
kiosk_id=kiosk-1
hall=hall-1

die() {
  echo "centre: $*" >&2
  exit 1
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
  echo "$dir"
}

# The value of KEY in DIR/centre.env.
env_get() {
  sed -n "s/^$2=//p" "$1/centre.env"
}

# Waits up to $2 seconds for the file $1 to contain the pattern $3.
wait_for() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    grep -q "$3" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# Whether process $1 still runs (a zombie waiting for its reaper does not).
alive() {
  [ -r "/proc/$1/stat" ] && ! sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^Z'
}

stop() {
  local dir=$1 pid name pgdata
  [ -f "$dir/centre.env" ] || die "$dir is not a centre (no centre.env)"
  # The kiosk first (its last records go nowhere, they stay in its outbox),
  # then the hub, the display and the bus, then the database.
  for name in kiosk hub xvfb dbus; do
    pid=$(env_get "$dir" "${name}_pid")
    [ -n "$pid" ] || continue
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
      alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  pgdata=$(env_get "$dir" pgdata)
  if [ -n "$pgdata" ] && [ -f "$pgdata/postmaster.pid" ]; then
    as_postgres "$(pg_bin)/pg_ctl" stop -s -m fast -D "$pgdata" || true
  fi
  pid=$(env_get "$dir" postgres_pid)
  [ -n "$pid" ] && for _ in $(seq 100); do alive "$pid" || break; sleep 0.1; done
  echo "centre stopped; its files are in $dir (rm -rf it when done)"
}

start() {
  local dir="" content="$root/assets/content/default"
  while [ $# -gt 0 ]; do
    case $1 in
      --dir) dir=$2; shift 2 ;;
      --content) content=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  for f in "$hub" "$kiosk" "$content_tool"; do [ -x "$f" ] || die "$f is missing: build first (meson compile -C $build)"; done
  command -v openssl >/dev/null || die "openssl is missing"
  [ -f "$content/manifest.json" ] || die "$content has no manifest.json"
  [ "$(id -u)" -ne 0 ] || getent passwd postgres >/dev/null || die "as root PostgreSQL runs as the postgres user, which is missing"
  if [ -z "$dir" ]; then dir=$(mktemp -d /tmp/linli-centre.XXXXXX); else mkdir -p "$dir"; fi
  dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/centre.env" ] || die "$dir holds a centre already (scripts/centre.sh stop $dir; rm -rf $dir)"
  chmod 755 "$dir"
  : >"$dir/centre.env"
  local pg; pg=$(pg_bin)

  # 1. PostgreSQL: a cluster of its own, reachable only over its unix socket.
  #    As root it runs as the postgres user, in a folder that user owns.
  mkdir -p "$dir/pg"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir/pg"
    runuser -u postgres -- test -w "$dir/pg" \
      || die "the postgres user cannot reach $dir/pg: make its parent folders searchable (chmod o+x) or use --dir"
  fi
  as_postgres "$pg/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
  echo "pgdata=$dir/pg/data" >>"$dir/centre.env"
  if [ "$(id -u)" -eq 0 ]; then
    setsid runuser -u postgres -- "$pg/postgres" -D "$dir/pg/data" -k "$dir/pg" -c listen_addresses= -p 5432 \
      >"$dir/postgres.log" 2>&1 &
  else
    setsid "$pg/postgres" -D "$dir/pg/data" -k "$dir/pg" -c listen_addresses= -p 5432 >"$dir/postgres.log" 2>&1 &
  fi
  echo "postgres_pid=$!" >>"$dir/centre.env"
  local db="host=$dir/pg port=5432 user=postgres dbname=postgres"
  for _ in $(seq 100); do "$pg/pg_isready" -q -h "$dir/pg" -p 5432 && break; sleep 0.1; done
  "$pg/pg_isready" -q -h "$dir/pg" -p 5432 || die "PostgreSQL did not start: $(cat "$dir/postgres.log")"

  # 2. Keys and certificates: the CA that signs kiosk certificates, the hub's
  #    server certificate (127.0.0.1 and localhost), the card key shared by
  #    hub and kiosks, the key content is published with.
  mkdir -p "$dir/pki" "$dir/kiosk/state"
  (
    cd "$dir/pki"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
      -days 3650 -subj "/CN=Linli centre CA" 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
      -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 825 \
      -extfile server.ext 2>/dev/null
    chmod 600 ca.key server.key
  )
  # (Demo mode reads the card key from its state folder.)
  openssl rand -hex 32 >"$dir/kiosk/state/card.key"
  chmod 600 "$dir/kiosk/state/card.key"
  "$content_tool" keygen --out "$dir/pki" >/dev/null
  local public_key staff_token
  public_key=$(cat "$dir/pki/publish.pub")
  staff_token=$(openssl rand -hex 16)

  # 3. The hub: the kiosks' API on any free port (read back from its first
  #    line); the pages over HTTPS with the server certificate, on a port
  #    chosen first, since the slips' QR (public_url) names it.
  local web_port
  web_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$dir/hub.conf" <<EOF
[hub]
db=$db
listen=127.0.0.1:0
cert=$dir/pki/server.crt
key=$dir/pki/server.key
ca=$dir/pki/ca.crt
web_listen=127.0.0.1:$web_port
web_cert=$dir/pki/server.crt
web_key=$dir/pki/server.key
public_url=https://127.0.0.1:$web_port
staff_token=$staff_token
card_key_file=$dir/kiosk/state/card.key
content_key=$dir/pki/publish.key
EOF
  setsid "$hub" serve --config "$dir/hub.conf" >"$dir/hub.log" 2>&1 &
  echo "hub_pid=$!" >>"$dir/centre.env"
  wait_for "$dir/hub.log" 30 "^pages on" || die "linli-hub did not start: $(cat "$dir/hub.log")"
  local hub_url web_url
  hub_url=$(sed -n 's|^listening on \(https://[^/]*\)/$|\1|p' "$dir/hub.log")
  web_url=$(sed -n 's|^pages on \(https://[^/]*\)/$|\1|p' "$dir/hub.log")

  # 4. The kiosk's identity: its own client certificate, registered on the hub.
  "$hub" kiosk enrol "$kiosk_id" --ca-cert "$dir/pki/ca.crt" --ca-key "$dir/pki/ca.key" --out "$dir/kiosk" \
    --config "$dir/hub.conf" >"$dir/enrol.log"
  "$hub" content hall "$kiosk_id" "$hall" --config "$dir/hub.conf" >/dev/null

  # 5. Content, desks and bookings.
  "$hub" content publish "$content" --key "$dir/pki/publish.key" --config "$dir/hub.conf" >"$dir/publish.log"
  python3 - "$content/manifest.json" >"$dir/counters.tsv" <<'EOF'
import json, sys
manifest = json.load(open(sys.argv[1], encoding="utf-8"))
for n, queue in enumerate(manifest["queues"], 1):
    services = [s["id"] for s in manifest["services"] if s["queue"] == queue["id"]]
    if services:
        print(f"{n}\t{n}号窗口\tCounter {n}\t{','.join(services)}")
EOF
  local id name_zh name_en services first_service
  while IFS=$'\t' read -r id name_zh name_en services; do
    "$hub" counters add "$id" --name-zh "$name_zh" --name-en "$name_en" --services "$services" \
      --config "$dir/hub.conf" >/dev/null
  done <"$dir/counters.tsv"
  first_service=$(head -n 1 "$dir/counters.tsv" | cut -f 4 | cut -d , -f 1)
  {
    echo "code,service,slot,id_number"
    echo "DEMO01,$first_service,$(date -d '+10 minutes' '+%Y-%m-%d %H:%M'),"
    echo "DEMO02,$first_service,$(date -d '+10 minutes' '+%Y-%m-%d %H:%M'),11010519491231002X"
  } >"$dir/appointments.csv"
  "$hub" appointments import "$dir/appointments.csv" --config "$dir/hub.conf" >"$dir/appointments.log"
  "$hub" members import "$root/assets/demo-members.csv" --config "$dir/hub.conf" >"$dir/members.log"
  # The console's first account: a district admin with a one-time password.
  "$hub" staff add chief --role admin --display-name 主任 --config "$dir/hub.conf" >"$dir/staff.log"
  local password
  password=$(sed -n 's/^one-time password //p' "$dir/staff.log")

  # 6. The kiosk, in demo mode (printer → folder, door → log, D-Bus input
  #    path) but against the hub: what a technician writes in kiosk.conf.
  cat >"$dir/kiosk/kiosk.conf" <<EOF
[kiosk]
id=$kiosk_id
hall=$hall
[hub]
url=$hub_url
ca_file=$dir/pki/ca.crt
cert_file=$dir/kiosk/$kiosk_id.crt
key_file=$dir/kiosk/$kiosk_id.key
backoff_max_seconds=5
heartbeat_seconds=10
[content]
releases_dir=$dir/kiosk/releases
public_keys=$public_key
poll_seconds=5
[display]
blank_when_closed=false
EOF
  local display=${DISPLAY:-} wayland=${WAYLAND_DISPLAY:-} bus=${DBUS_SESSION_BUS_ADDRESS:-}
  if [ -z "$display" ] && [ -z "$wayland" ]; then
    command -v Xvfb >/dev/null || die "no display and no Xvfb (apt-get install xvfb)"
    local n=90
    while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
    setsid Xvfb ":$n" -screen 0 1080x1920x24 -nolisten tcp -noreset >"$dir/xvfb.log" 2>&1 &
    echo "xvfb_pid=$!" >>"$dir/centre.env"
    for _ in $(seq 100); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
    display=:$n
  fi
  if [ -z "$bus" ]; then
    command -v dbus-daemon >/dev/null || die "no D-Bus session bus and no dbus-daemon (apt-get install dbus)"
    local out
    out=$(dbus-daemon --session --fork --print-address=1 --print-pid=1)
    bus=$(echo "$out" | sed -n 1p)
    echo "dbus_pid=$(echo "$out" | sed -n 2p)" >>"$dir/centre.env"
  fi
  # The kiosk's D-Bus name is the application id; in demo mode it takes
  # org.linli.Kiosk.Demo calls on /org/linli/Kiosk.
  DISPLAY=$display WAYLAND_DISPLAY=$wayland DBUS_SESSION_BUS_ADDRESS=$bus TZ=${TZ:-Asia/Shanghai} \
    setsid "$kiosk" --demo --config "$dir/kiosk/kiosk.conf" --state-dir "$dir/kiosk/state" \
    --content "$content" >"$dir/kiosk.log" 2>&1 &
  echo "kiosk_pid=$!" >>"$dir/centre.env"
  {
    echo "hub_url=$hub_url"
    echo "web_url=$web_url"
    echo "staff_token=$staff_token"
    echo "bus=$bus"
    echo "display=${display:-$wayland}"
    echo "db=$db"
  } >>"$dir/centre.env"

  cat <<EOF
邻里服务中心已启动 / Linli centre is running (files in $dir)
  console     $web_url/console (account chief, one-time password $password)
  counter 1   $web_url/counter/1?token=$staff_token
  display     $web_url/display
  ticket page $web_url/t/<code on the slip> (the slip's QR; the pages' certificate is from $dir/pki/ca.crt)
  kiosk API   $hub_url (mutual TLS: $dir/kiosk/$kiosk_id.crt)
  kiosk       on display ${display:-$wayland}; D-Bus $bus
              name org.linli.Kiosk, object /org/linli/Kiosk, interface org.linli.Kiosk.Demo
  bookings    DEMO01, DEMO02 (ID 11010519491231002X): 我有预约 / I have an appointment
  database    psql "$db"
  logs        $dir/hub.log $dir/kiosk.log $dir/postgres.log
Stop it:      $0 stop $dir
EOF
}

case "${1:-}" in
  start)
    shift
    start "$@"
    ;;
  run)
    shift
    out=$(mktemp)
    start "$@" | tee "$out"
    dir=$(sed -n 's|.*(files in \(.*\))$|\1|p' "$out")
    rm -f "$out"
    trap 'stop "$dir"; exit 0' INT TERM
    echo "Ctrl-C stops the centre."
    while kill -0 "$(env_get "$dir" hub_pid)" 2>/dev/null; do sleep 1; done
    echo "linli-hub exited (see $dir/hub.log)" >&2
    stop "$dir"
    ;;
  stop)
    [ $# -eq 2 ] || die "usage: $0 stop DIR"
    stop "$2"
    ;;
  *)
    echo "usage: $0 run|start [--dir DIR] [--content DIR] | stop DIR" >&2
    exit 2
    ;;
esac
