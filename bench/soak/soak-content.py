#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The soak's content, members and settings, made from the default bundle.

    soak-content.py DEFAULT_BUNDLE_DIR OUT_DIR BADGES

The default content with every door open round the clock (so a soak at 3 a.m.
issues numbers and decides entries as at 10 a.m.), number ranges, caps and
desks enough for 10,000 tickets in a day that nobody is called for, and a club
as big as the bundle format allows; BADGES members with cards 3000000000, 3000000001, ... (the numbers the
soak taps). Writes OUT_DIR/content/manifest.json, OUT_DIR/members.csv and
OUT_DIR/kiosk.conf (member_file; everything else is demo mode's).
"""

import csv
import json
import os
import sys

FIRST_BADGE = 3000000000
ALL_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def open_all_day(hours):
    for spec in hours.values():
        spec["weekly"] = {day: ["00:00-24:00"] for day in ALL_DAYS}
        spec["holidays"] = []
        spec.pop("workdays", None)
        spec["cutoff_minutes"] = 0


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    default_dir, out, badges = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(os.path.join(default_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)

    open_all_day(manifest["hours"])
    # Nobody calls a number during a soak: with the bundle's one or two desks
    # the queue would soon wait past closing time, and numbers be refused.
    for queue in manifest["queues"]:
        queue["first"], queue["last"], queue["daily_cap"] = 1, 9999, 0
        queue["counters"], queue["default_service_minutes"] = 99, 1
    for service in manifest["services"]:
        service.pop("daily_cap", None)
    manifest["fitness"]["capacity"] = 10000

    os.makedirs(os.path.join(out, "content"), exist_ok=True)
    with open(os.path.join(out, "content", "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)

    groups = ("worker", "resident")
    with open(os.path.join(out, "members.csv"), "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(("card", "kind", "name", "valid_from", "valid_until", "status", "group"))
        for i in range(badges):
            group = groups[i % 2]
            writer.writerow((f"{FIRST_BADGE + i:010d}", group, f"会员{i:05d}", "", "", "active", group))

    with open(os.path.join(out, "kiosk.conf"), "w", encoding="utf-8") as f:
        f.write("[fitness]\nmember_file = %s\n" % os.path.join(out, "members.csv"))


if __name__ == "__main__":
    main()
