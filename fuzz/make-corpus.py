#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the generated seeds of fuzz/corpus (files named gen-*): documents
# nested 100,000 levels deep, documents near 1 MiB, duplicate keys, each in
# the shape of what its parser expects so that the deep part sits where the
# parser looks. The hand-written seeds beside them stay as they are.
#   fuzz/make-corpus.py            (from anywhere; rewrites every gen-* file)
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent
CORPUS = ROOT / "corpus"
MANIFEST = ROOT.parent / "assets" / "content" / "default" / "manifest.json"
MIB = 1024 * 1024
DEEP = 100_000


def deep_arrays(n=DEEP):
    return "[" * n + "]" * n


def deep_objects(n=DEEP):
    return '{"a":' * n + "1" + "}" * n


def wrap(template, inner):
    """template holds one @ where the deep value goes."""
    return template.replace("@", inner)


def write(target, name, text):
    data = text.encode("utf-8")
    assert len(data) <= MIB, (target, name, len(data))
    path = CORPUS / target / ("gen-" + name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def big_list(prefix, item, suffix, limit=MIB - 64):
    """prefix item,item,… suffix, as many items as fit under @limit bytes."""
    out = [prefix]
    size = len(prefix.encode()) + len(suffix.encode())
    i = 0
    while True:
        text = item(i)
        extra = len(text.encode()) + (1 if i else 0)
        if size + extra > limit:
            break
        out.append(("," if i else "") + text)
        size += extra
        i += 1
    out.append(suffix)
    return "".join(out)


def common():
    write("common", "deep-arrays-100000.json", deep_arrays())
    write("common", "deep-objects-100000.json", deep_objects())
    write("common", "deep-unclosed-1mib.json", "[" * MIB)
    write("common", "deep-mixed-100000.json", '[{"a":' * (DEEP // 2) + "0" + "}]" * (DEEP // 2))
    write("common", "brackets-in-string.json", '["' + "[{" * 50_000 + '"]')
    write("common", "large-string-1mib.json", '{"a":"' + "x" * (MIB - 16) + '"}')
    write("common", "large-array-1mib.json", big_list("[", lambda i: str(i), "]"))
    keys = big_list("{", lambda i: '"k%d":%d' % (i, i), ',"k0":0}')
    write("common", "many-keys-duplicate-last-1mib.json", keys)
    write("common", "duplicate-escaped.json", '{"a":1,"\\u0061":2}')
    write("common", "duplicate-nested.json", '{"x":{"k":1,"j":{},"k":2}}')
    write("common", "trailing-document.json", '{"a":1} {"a":2}')
    write("common", "single-quotes.json", "{'a':'}'}")
    write("common", "nul-escape.json", '{"a":"x\\u0000y"}')
    write("common", "lone-surrogate.json", '["\\ud800"]')
    write("common", "huge-number.json", '{"a":1e999}')
    write("common", "exponent-number.json", '{"a":1e20,"b":[1e98,-2e-7]}')


def manifest():
    text = MANIFEST.read_text(encoding="utf-8")
    m = json.loads(text)
    write("manifest", "default.json", text)
    write("manifest", "duplicate-release.json", text.replace('"release"', '"release": 99, "release"', 1))
    deep = dict(m)
    deep["announcements"] = [dict(m["announcements"][0], body="@")]
    write("manifest", "deep-announcement.json", wrap(json.dumps(deep, ensure_ascii=False), deep_arrays()))
    write("manifest", "deep-centre.json", wrap(json.dumps(dict(m, centre="@"), ensure_ascii=False), deep_objects()))
    # Many announcements up to 1 MiB: valid JSON, a large but plausible manifest.
    first = m["announcements"][0]
    head = json.dumps(dict(m, announcements="@"), ensure_ascii=False)
    before, after = head.split('"@"')
    listing = big_list(before + "[", lambda i: json.dumps(dict(first, id="a%d" % i), ensure_ascii=False), "]" + after)
    write("manifest", "many-announcements-1mib.json", listing)
    for target in ("hub-content",):
        write(target, "default.json", text)
        write(target, "deep-announcement.json", wrap(json.dumps(deep, ensure_ascii=False), deep_arrays()))
        write(target, "duplicate-release.json", text.replace('"release"', '"release": 99, "release"', 1))


def release_json():
    sha = "0123456789abcdef" * 4
    base = '{"format":1,"release":7,"target":"all","files":@}'
    write("release-json", "deep-files.json", wrap(base, deep_arrays()))
    write("release-json", "deep-target.json", '{"format":1,"release":7,"target":' + deep_objects() + ',"files":[]}')
    write("release-json", "duplicate-release.json", '{"format":1,"release":7,"release":8,"files":[]}')
    files = big_list('{"format":1,"release":7,"files":[',
                     lambda i: '{"path":"f/%d.png","size":%d,"sha256":"%s"}' % (i, i + 1, sha), "]}")
    write("release-json", "many-files-1mib.json", files)


def kiosk_response():
    member = '{"card_hash":"h%d","kind":"worker","name":"x","valid_from":5,"valid_until":null,' \
             '"status":"active","group":"A","seq":%d}'
    write("kiosk-response", "deep-members.json", '{"members":[' + deep_arrays() + '],"cursor":1,"more":false}')
    write("kiosk-response", "deep-accepted.json", '{"accepted":' + deep_objects() + "}")
    write("kiosk-response", "deep-error.json", '{"error":' + deep_arrays() + "}")
    write("kiosk-response", "duplicate-cursor.json", '{"members":[],"cursor":1,"cursor":9,"more":false}')
    page = big_list('{"members":[', lambda i: member % (i, i + 1), '],"cursor":99999999,"more":true}')
    write("kiosk-response", "members-1mib.json", page)


def credentials():
    member = '{"card":"%010d","kind":"worker","name":"工人%d","group":"A"}'
    write("credentials", "members.json", '{"members":[' + member % (1, 1) + "]}")
    write("credentials", "members.csv", "card,kind,name,group\n0000000001,worker,张三,A\n")
    write("credentials", "deep-member.json", '{"members":[' + deep_objects() + "]}")
    write("credentials", "deep-list.json", deep_arrays())
    write("credentials", "duplicate-card.json", '[{"card":"1","card":"2","kind":"worker","name":"a","group":"A"}]')
    write("credentials", "members-1mib.json", big_list('{"members":[', lambda i: member % (i, i), "]}"))


def appointments():
    item = '{"code":"C%05d","service":"residence-permit","slot":"2026-11-23T10:00:00+08:00"}'
    write("appointments", "one.json", '{"appointments":[' + item % 1 + "]}")
    write("appointments", "deep-slot.json",
          '{"appointments":[{"code":"K7M2Q9","service":"residence-permit","slot":' + deep_arrays() + "}]}")
    write("appointments", "deep-list.json", '{"appointments":' + deep_arrays() + "}")
    write("appointments", "duplicate-code.json",
          '{"appointments":[{"code":"A1","code":"B2","service":"residence-permit",'
          '"slot":"2026-11-23T10:00:00+08:00"}]}')
    write("appointments", "many-1mib.json", big_list('{"appointments":[', lambda i: item % i, "]}"))


def hub():
    record = '{"uuid":"6f1c1d8a-52b3-4f0e-9d2c-%012x","kind":"ticket","payload":{"label":"A001","wait":[5,15]}}'
    write("hub-records", "deep-payload.json",
          '{"records":[{"uuid":"6f1c1d8a-52b3-4f0e-9d2c-1a2b3c4d5e6f","kind":"ticket","payload":'
          + deep_objects() + "}]}")
    write("hub-records", "deep-records.json", '{"records":' + deep_arrays() + "}")
    write("hub-records", "duplicate-payload.json",
          '{"records":[{"uuid":"6f1c1d8a-52b3-4f0e-9d2c-1a2b3c4d5e6f","kind":"ticket",'
          '"payload":{"label":"A001"},"payload":{"label":"Z999"}}]}')
    # 200 records (the target's limit) with large payloads, near 1 MiB in all.
    pad = "x" * 5000
    many = ",".join((record % i).replace('"A001"', '"A001","note":"%s"' % pad) for i in range(200))
    write("hub-records", "records-1mib.json", '{"records":[' + many + "]}")

    heartbeat = '{"software_version":"0.1.0","uptime_s":60,"rss_kb":1,"printer":@,"member_cursor":4}'
    write("hub-heartbeat", "deep-printer.json", wrap(heartbeat, deep_objects()))
    write("hub-heartbeat", "duplicate-cursor.json", heartbeat.replace("@", "null").replace("}", ',"member_cursor":9}'))
    write("hub-heartbeat", "large-1mib.json", wrap(heartbeat, '{"log":"' + "x" * (MIB - 200) + '"}'))

    write("hub-web", "number.json", '{"number":"A023"}')
    write("hub-web", "service.json", '{"service":"pension"}')
    write("hub-web", "deep-number.json", '{"number":' + deep_arrays(2000) + "}")
    write("hub-web", "duplicate-number.json", '{"number":"A023","number":"B001"}')


def console():
    write("hub-console", "sign-in.json", '{"name":"admin","password":"correct horse battery staple"}')
    write("hub-console", "account.json",
          '{"name":"li","display_name":"李","role":"editor","hall":null,"password":"x"}')
    write("hub-console", "deep-name.json", '{"name":' + deep_arrays(2000) + "}")
    write("hub-console", "duplicate-role.json", '{"name":"li","role":"clerk","role":"admin"}')


def json_target():
    write("json", "all-values.json", '{"a":[1,-2.5e3,true,false,null,"x\\n\\u00e9\\ud83d\\ude00"],"b":{}}')
    write("json", "deep-32.json", deep_arrays(32))
    write("json", "deep-33.json", deep_arrays(33))


if __name__ == "__main__":
    for old in CORPUS.glob("*/gen-*"):
        old.unlink()
    common()
    manifest()
    release_json()
    kiosk_response()
    credentials()
    appointments()
    hub()
    console()
    json_target()
