#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Content rollback on evidence (docs/content-releases.md), with the real
# linli-kiosk inside Debian 12's cage (headless output), stopped the ways a
# kiosk is stopped: SIGTERM to every process of the service at once (what
# systemctl stop/restart does with KillMode=control-group), SIGKILL of the
# kiosk alone (a crash; cage then exits), SIGKILL of everything (a power cut);
# and the SIGTERM handler's stop marker, written only while the UI loop runs.
# Releases 2 (previous) and 3 (current) are signed with linli-content.
# Usage: check-content-health.sh LINLI-KIOSK LINLI-CONTENT SOURCE-DIR
set -euo pipefail
kiosk=$1
content_tool=$2
source_dir=$3
command -v cage >/dev/null || { echo "1..0 # SKIP cage not installed"; exit 0; }
[ -x /usr/bin/Xwayland ] || { echo "1..0 # SKIP Xwayland not installed (cage 0.1.4 needs it)"; exit 0; }
work=$(mktemp -d)
[ -n "${KEEP_WORK:-}" ] || trap "rm -rf \"$work\"" EXIT
chmod 755 "$work"

"$content_tool" keygen --out "$work/keys" >/dev/null
for n in 2 3; do
  cp -r "$source_dir/assets/content/default" "$work/src-$n"
  sed -i "s/\"release\": 1,/\"release\": $n,/" "$work/src-$n/manifest.json"
  "$content_tool" sign "$work/src-$n" --key "$work/keys/publish.key" >/dev/null
done

python3 - "$kiosk" "$work" <<'PY'
import os, shutil, signal, socket, sqlite3, struct, subprocess, sys, time

kiosk, work = sys.argv[1], sys.argv[2]
HEALTHY = 10  # [content] healthy_seconds, its smallest value
RESTARTS = 8
as_user = ["runuser", "-u", "nobody", "--"] if os.getuid() == 0 else []
results = []


def fresh_state(name):
    state = os.path.join(work, name)
    releases = os.path.join(state, "content", "releases")
    os.makedirs(releases)
    for n in (2, 3):
        shutil.copytree(os.path.join(work, "src-%d" % n), os.path.join(releases, str(n)))
    os.symlink("releases/3", os.path.join(state, "content", "current"))
    os.symlink("releases/2", os.path.join(state, "content", "previous"))
    with open(os.path.join(work, "keys", "publish.pub")) as f:
        pub = f.read().strip()
    conf = os.path.join(state, "kiosk.conf")
    with open(conf, "w") as f:
        # A hub nobody answers: the updater runs (it needs [hub] url) and keeps what it has.
        f.write("[hub]\nurl = http://127.0.0.1:1\n[content]\nreleases_dir = %s/content\n"
                "public_keys = %s\nhealthy_seconds = %d\ncrash_limit = 3\n" % (state, pub, HEALTHY))
    for d in ("run",):
        os.makedirs(os.path.join(state, d), mode=0o700)
    if os.getuid() == 0:
        subprocess.run(["chown", "-R", "nobody", state], check=True)
    return state, conf


def group(leader):
    """The service's processes: cage, the kiosk, Xwayland; runuser (our stand-in
    for systemd's User=) is left out, as systemd is not in the cgroup it kills."""
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.getpgid(int(name)) == leader and (not as_user or int(name) != leader):
                    pids.append(int(name))
            except ProcessLookupError:
                pass
    return pids


def run(state, conf, how, wait_healthy=False):
    """Starts cage with the kiosk, waits for READY=1, then stops it @how."""
    sock_path = os.path.join(state, "notify.sock")
    if os.path.exists(sock_path):
        os.unlink(sock_path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(sock_path)
    os.chmod(sock_path, 0o777)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    s.settimeout(1)
    env = dict(os.environ, XDG_RUNTIME_DIR=os.path.join(state, "run"), NOTIFY_SOCKET=sock_path,
               WATCHDOG_USEC="4000000", WLR_BACKENDS="headless", WLR_HEADLESS_OUTPUTS="1",
               WLR_LIBINPUT_NO_DEVICES="1", WLR_RENDERER="pixman")
    log = open(os.path.join(state, "cage.log"), "ab")
    p = subprocess.Popen(as_user + ["env", "XDG_RUNTIME_DIR=" + env["XDG_RUNTIME_DIR"],
                                    "NOTIFY_SOCKET=" + sock_path, "WATCHDOG_USEC=4000000",
                                    "WLR_BACKENDS=headless", "WLR_HEADLESS_OUTPUTS=1",
                                    "WLR_LIBINPUT_NO_DEVICES=1", "WLR_RENDERER=pixman",
                                    "cage", "--", kiosk, "--demo", "--state-dir", state, "--config", conf],
                         stdout=log, stderr=log, start_new_session=True)
    pid = None
    deadline = time.time() + 60
    while pid is None and time.time() < deadline:
        try:
            msg, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
        except socket.timeout:
            continue
        if b"READY=1" in msg:
            for level, kind, data in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                    pid = struct.unpack("iII", data[:12])[0]
    if pid is None:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        raise SystemExit("no READY=1 within 60 s; see " + os.path.join(state, "cage.log"))
    if wait_healthy:
        time.sleep(HEALTHY + 3)
    if how == "term":      # systemctl stop/restart: every process of the service at once
        for other in group(p.pid):
            os.kill(other, signal.SIGTERM)
    elif how == "crash":   # the kiosk dies; cage exits with it
        os.kill(pid, signal.SIGKILL)
    elif how == "powercut":
        os.killpg(p.pid, signal.SIGKILL)
    elif how == "term-kiosk":  # the kiosk alone, its main loop alive
        os.kill(pid, signal.SIGTERM)
    elif how == "term-hung":   # a UI hung past the loop's 5 s: what systemd's SIGTERM meets after the watchdog
        os.kill(pid, signal.SIGSTOP)
        time.sleep(7)
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGCONT)
    try:
        p.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    s.close()


def facts(state):
    db = sqlite3.connect(os.path.join(state, "kiosk.db"))
    meta = dict(db.execute("SELECT key, value FROM meta WHERE key LIKE 'content.%'"))
    rolled = db.execute("SELECT count(*) FROM events WHERE kind = 'content-rolled-back'").fetchone()[0]
    outbox = db.execute("SELECT count(*) FROM outbox WHERE kind = 'status' AND payload LIKE "
                        "'%content-rolled-back%'").fetchone()[0]
    db.close()
    current = os.readlink(os.path.join(state, "content", "current"))
    return meta, rolled, outbox, current


def check(name, ok, state):
    meta, rolled, outbox, current = facts(state)
    results.append((ok(meta, rolled, outbox, current), "%s: current -> %s, %d rollback event(s), "
                    "%d in the outbox, meta %s" % (name, current, rolled, outbox, meta)))


state, conf = fresh_state("clean")
for _ in range(RESTARTS):
    run(state, conf, "term")
check("%d SIGTERMs to cage and the kiosk before healthy: no rollback" % RESTARTS,
      lambda m, r, o, c: c == "releases/3" and r == 0 and m.get("content.failures") == "0", state)

state, conf = fresh_state("crash")
for _ in range(3):
    run(state, conf, "crash")
run(state, conf, "term")
check("3 crashes of the kiosk before healthy: rolled back to 2 and reported",
      lambda m, r, o, c: c == "releases/2" and r == 1 and o == 1 and m.get("content.refused") == "3", state)

state, conf = fresh_state("powercut")
run(state, conf, "powercut", wait_healthy=True)
for _ in range(3):
    run(state, conf, "powercut")
check("power cuts after healthy: no rollback",
      lambda m, r, o, c: c == "releases/3" and r == 0 and m.get("content.healthy") == "1", state)

# The SIGTERM handler's marker: written for a live main loop, not for a hung one.
state, conf = fresh_state("marker")
marker = os.path.join(state, "content", "stopped-cleanly")
run(state, conf, "term-kiosk")
live = os.path.exists(marker)
run(state, conf, "term-hung")
hung = os.path.exists(marker)
results.append((live and not hung, "stop marker: after SIGTERM to a live kiosk %s, to one hung for 7 s %s"
                % ("written" if live else "MISSING", "WRITTEN" if hung else "not written")))

print("1..%d" % len(results))
for i, (ok, text) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, text))
PY
