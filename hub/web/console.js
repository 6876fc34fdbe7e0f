// SPDX-License-Identifier: GPL-3.0-or-later
// The staff console (/console): sign in, one's own password, and for admins
// the accounts and the audit log. Every value goes into the page as text.
import { call, changePassword, current, signIn, signOut } from "/static/session.js";

const ROLES = {
  counter: "窗口 / Counter",
  editor: "编辑 / Editor",
  publisher: "发布 / Publisher",
  admin: "管理员 / Admin",
};
const ACTIONS = {
  "sign-in": "登录 / Signed in",
  "sign-out": "退出 / Signed out",
  "password-change": "改密码 / Changed password",
  "account-add": "新增账号 / Added account",
  "account-disable": "停用账号 / Disabled account",
  "account-enable": "启用账号 / Enabled account",
  "account-reset": "重置密码 / Reset password",
  "draft-save": "保存草稿 / Saved a draft",
  "publish": "发布 / Published",
  "rollback": "恢复旧版本 / Restored a release",
};

const $ = (id) => document.getElementById(id);
let me = null;

function status (text) {
  $("status").textContent = text || "";
}

function cell (text) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  return td;
}

function when (iso) {
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString("zh-CN", { hour12: false });
}

function show (sections) {
  for (const id of ["sign-in", "password-form", "content", "hours", "releases", "accounts", "audit"])
    $(id).hidden = !sections.includes(id);
  $("who").hidden = me === null;
}

async function render () {
  if (me === null) {
    show(["sign-in"]);
    $("name").focus();
    return;
  }
  $("who-name").textContent = me.display_name + "（" + ROLES[me.role] + "，" +
    (me.hall === null ? "全区 / District" : me.hall) + "）";
  $("must-change").hidden = !me.must_change_password;
  if (me.must_change_password) {
    show(["password-form"]);
    return;
  }
  const sections = ["password-form"];
  if (me.role !== "counter")
    sections.unshift("content", "hours", "releases");
  if (me.role === "admin")
    sections.push("accounts", "audit");
  show(sections);
  if (me.role !== "counter")
    await Promise.all([loadContent(), loadHours(), loadReleases()]);
  if (me.role === "admin") {
    $("add-hall-label").hidden = me.hall !== null;
    await Promise.all([loadAccounts(), loadAudit()]);
  }
}

async function accountAction (name, verb) {
  try {
    const r = await call("/api/console/accounts/" + encodeURIComponent(name) + "/" + verb, { method: "POST" });
    if (r.password)
      showSecret(r.name, r.password);
    status("");
  } catch (e) {
    status(e.message);
  }
  await loadAccounts();
  await loadAudit();
}

function button (label, onclick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.onclick = onclick;
  return b;
}

async function loadAccounts () {
  const { accounts } = await call("/api/console/accounts");
  const rows = accounts.map(a => {
    const tr = document.createElement("tr");
    tr.append(cell(a.name), cell(a.display_name), cell(ROLES[a.role] || a.role),
              cell(a.hall === null ? "全区 / District" : a.hall),
              cell(a.disabled ? "已停用 / Disabled" : "正常 / Active"));
    const actions = document.createElement("td");
    if (a.name !== me.name) {
      actions.append(a.disabled
        ? button("启用 / Enable", () => accountAction(a.name, "enable"))
        : button("停用 / Disable", () => accountAction(a.name, "disable")));
      actions.append(button("重置密码 / Reset password", () => accountAction(a.name, "reset")));
    }
    tr.append(actions);
    return tr;
  });
  $("account-rows").replaceChildren(...rows);
}

async function loadAudit () {
  const params = new URLSearchParams();
  if ($("audit-action").value.trim())
    params.set("action", $("audit-action").value.trim());
  if ($("audit-actor").value.trim())
    params.set("actor", $("audit-actor").value.trim());
  const { audit } = await call("/api/console/audit?" + params);
  $("audit-rows").replaceChildren(...audit.map(r => {
    const tr = document.createElement("tr");
    tr.append(cell(when(r.at)), cell(r.actor), cell(r.address), cell(ACTIONS[r.action] || r.action),
              cell(r.target), cell(r.hall === null ? "" : r.hall));
    return tr;
  }));
}

// Announcements: the draft (or what is live) as a form, one block each.
let content = null;
const FIELDS = [
  ["id", "编号 / Id", "input"],
  ["title.zh", "标题（中文） / Title (Chinese)", "input"],
  ["title.en", "标题（英文） / Title (English)", "input"],
  ["body.zh", "内容（中文） / Text (Chinese)", "textarea"],
  ["body.en", "内容（英文） / Text (English)", "textarea"],
  ["valid_from", "开始时间 / From", "datetime"],
  ["valid_until", "结束时间（可空） / Until (may be empty)", "datetime"],
];

function get (obj, path) {
  return path.split(".").reduce((o, k) => (o ? o[k] : undefined), obj);
}

// "2026-12-01T08:00:00+08:00" <-> the datetime-local input's "2026-12-01T08:00".
function toInput (iso) {
  return iso ? iso.slice(0, 16) : "";
}
function fromInput (value) {
  return value ? value + ":00+08:00" : undefined;
}

function noteBlock (note) {
  const box = document.createElement("fieldset");
  box.className = "note";
  for (const [path, label, kind] of FIELDS) {
    const l = document.createElement("label");
    l.append(label);
    const input = document.createElement(kind === "textarea" ? "textarea" : "input");
    if (kind === "datetime")
      input.type = "datetime-local";
    input.dataset.path = path;
    const value = get(note, path);
    input.value = kind === "datetime" ? toInput(value) : (value || "");
    l.append(input);
    box.append(l);
  }
  box.append(button("删除此条 / Remove", () => box.remove()));
  return box;
}

function readNotes () {
  return [...document.querySelectorAll("#notes fieldset.note")].map(box => {
    const note = { title: {}, body: {} };
    for (const input of box.querySelectorAll("[data-path]")) {
      const [a, b] = input.dataset.path.split(".");
      const value = input.type === "datetime-local" ? fromInput(input.value) : input.value.trim();
      if (value === undefined || value === "")
        continue;
      if (b)
        note[a][b] = value;
      else
        note[a] = value;
    }
    return note;
  });
}

// The same JSON whatever order its keys were written in.
function canonical (value) {
  if (Array.isArray(value))
    return "[" + value.map(canonical).join(",") + "]";
  if (value && typeof value === "object")
    return "{" + Object.keys(value).sort().map(k => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
  return JSON.stringify(value);
}

function describeDiff (live, draft) {
  const ids = (list) => new Map(list.map(n => [n.id, canonical(n)]));
  const a = ids(live), b = ids(draft);
  let added = 0, removed = 0, changed = 0;
  for (const [id, text] of b)
    if (!a.has(id)) added++;
    else if (a.get(id) !== text) changed++;
  for (const id of a.keys())
    if (!b.has(id)) removed++;
  return `与线上相比：新增 ${added} 条，删除 ${removed} 条，修改 ${changed} 条 / ` +
         `Against what is live: ${added} added, ${removed} removed, ${changed} changed`;
}

async function loadContent () {
  content = await call("/api/console/announcements");
  const drafted = content.draft && content.draft.announcements;
  const notes = drafted ? content.draft.announcements : content.live;
  $("notes").replaceChildren(...notes.map(noteBlock));
  $("content-state").textContent = "（" + content.target + "，线上版本 / live release " + content.live_release +
    (content.draft ? "，草稿第 " + content.draft.version + " 版 / draft version " + content.draft.version : "") + "）";
  $("diff").textContent = drafted ? describeDiff(content.live, content.draft.announcements) : "";
  $("publish").hidden = !(content.can_publish && content.draft);
}

async function loadReleases () {
  const r = await call("/api/console/releases");
  const newest = r.releases.length ? r.releases[0].release : 0;
  $("kiosk-rows").replaceChildren(...r.kiosks.map(k => {
    const tr = document.createElement("tr");
    const running = k.content_release === null ? "未知 / unknown" : k.content_release;
    tr.append(cell(k.kiosk), cell(k.hall), cell(running), cell(k.last_heartbeat_at ? when(k.last_heartbeat_at) : "—"));
    return tr;
  }));
  $("release-rows").replaceChildren(...r.releases.map(rel => {
    const tr = document.createElement("tr");
    const note = rel.rollback_of ? "恢复自版本 " + rel.rollback_of + " / restores " + rel.rollback_of
                                 : (rel.release === newest ? "最新 / newest" : "");
    tr.append(cell(rel.release), cell(rel.target === "all" ? "全区 / District" : rel.target),
              cell(when(rel.published_at)), cell(note));
    const actions = document.createElement("td");
    if (r.can_publish && rel.release !== newest)
      actions.append(button("恢复此版本 / Restore this release", async () => {
        try {
          const done = await call("/api/console/releases/" + rel.release + "/rollback", { method: "POST" });
          status("");
          await Promise.all([loadContent(), loadHours(), loadReleases()]);
          $("diff").textContent = "已恢复为新版本 " + done.release + " / Restored as release " + done.release;
        } catch (err) {
          status(err.message);
        }
      }));
    tr.append(actions);
    return tr;
  }));
}

// Opening hours: each table of the content's hours as a small form.
const DAYS = [["mon", "周一 / Mon"], ["tue", "周二 / Tue"], ["wed", "周三 / Wed"], ["thu", "周四 / Thu"],
              ["fri", "周五 / Fri"], ["sat", "周六 / Sat"], ["sun", "周日 / Sun"]];
let hoursState = null;

function labelled (label, input) {
  const l = document.createElement("label");
  l.append(label, input);
  return l;
}

function hoursBlock (id, table) {
  const box = document.createElement("fieldset");
  box.className = "note hours-table";
  box.dataset.id = id;
  const legend = document.createElement("legend");
  legend.textContent = id;
  box.append(legend);
  for (const [day, name] of DAYS) {
    const input = document.createElement("input");
    input.dataset.day = day;
    input.value = ((table.weekly || {})[day] || []).join(", ");
    input.placeholder = "休息 / closed";
    box.append(labelled(name, input));
  }
  const holidays = document.createElement("textarea");
  holidays.dataset.field = "holidays";
  holidays.value = (table.holidays || []).join("\n");
  box.append(labelled("节假日 / Holidays", holidays));
  const workdays = document.createElement("textarea");
  workdays.dataset.field = "workdays";
  workdays.value = Object.entries(table.workdays || {}).map(([d, w]) => d + "=" + w).join("\n");
  box.append(labelled("调休上班 / Make-up working days", workdays));
  const cutoff = document.createElement("input");
  cutoff.type = "number";
  cutoff.min = "0";
  cutoff.dataset.field = "cutoff_minutes";
  cutoff.value = table.cutoff_minutes === undefined ? "" : table.cutoff_minutes;
  box.append(labelled("停止取号（闭馆前分钟） / Stop issuing (minutes before closing)", cutoff));
  return box;
}

function readHours () {
  const hours = {};
  for (const box of document.querySelectorAll("#hours-tables fieldset.hours-table")) {
    const table = { weekly: {} };
    for (const input of box.querySelectorAll("[data-day]"))
      table.weekly[input.dataset.day] = input.value.split(/[,，]/).map(x => x.trim()).filter(x => x);
    const lines = (field) => box.querySelector(`[data-field=${field}]`).value.split("\n").map(x => x.trim())
      .filter(x => x);
    table.holidays = lines("holidays");
    const workdays = lines("workdays");
    if (workdays.length)
      table.workdays = Object.fromEntries(workdays.map(w => w.split("=").map(x => x.trim())));
    const cutoff = box.querySelector("[data-field=cutoff_minutes]").value;
    if (cutoff !== "")
      table.cutoff_minutes = Number(cutoff);
    hours[box.dataset.id] = table;
  }
  return hours;
}

function renderCalendar (calendar) {
  const ids = calendar.length ? Object.keys(calendar[0].open) : [];
  const head = document.createElement("tr");
  head.append(...["日期 / Date", ...ids].map(t => { const th = document.createElement("th"); th.textContent = t; return th; }));
  $("calendar-head").replaceChildren(head);
  const WEEK = ["", "一", "二", "三", "四", "五", "六", "日"];
  $("calendar-rows").replaceChildren(...calendar.map(day => {
    const tr = document.createElement("tr");
    tr.append(cell(day.date + " 周" + WEEK[day.weekday]));
    for (const id of ids) {
      const spans = day.open[id];
      const td = cell(spans.length ? spans.join("，") : "休息 / Closed");
      if (!spans.length)
        td.className = "closed";
      tr.append(td);
    }
    return tr;
  }));
}

async function loadHours () {
  hoursState = await call("/api/console/hours");
  const hours = hoursState.draft && hoursState.draft.hours ? hoursState.draft.hours : hoursState.live;
  $("hours-tables").replaceChildren(...Object.keys(hours).sort().map(id => hoursBlock(id, hours[id])));
  $("hours-state").textContent = hoursState.draft && hoursState.draft.hours
    ? "（草稿第 " + hoursState.draft.version + " 版 / draft version " + hoursState.draft.version + "）"
    : "（线上版本 / live release " + hoursState.live_release + "）";
  $("publish-hours").hidden = !(hoursState.can_publish && hoursState.draft);
  renderCalendar(hoursState.calendar || []);
}

$("save-hours").onclick = async () => {
  try {
    const version = hoursState.draft ? hoursState.draft.version : 0;
    await call("/api/console/hours", { method: "PUT", body: { version, hours: readHours() } });
    status("");
    await Promise.all([loadHours(), loadContent()]);
  } catch (err) {
    status(err.message);
  }
};

$("publish-hours").onclick = () => $("publish").onclick();

$("add-note").onclick = () => $("notes").append(noteBlock({}));

$("save-draft").onclick = async () => {
  try {
    const r = await call("/api/console/announcements", { method: "PUT",
      body: { version: content.draft ? content.draft.version : 0, announcements: readNotes() } });
    status("");
    await Promise.all([loadContent(), loadHours()]);
    $("diff").textContent += "。已保存草稿第 " + r.version + " 版 / Draft version " + r.version + " saved.";
  } catch (err) {
    // Nothing on the page is lost: the form keeps what was typed.
    status(err.message);
  }
};

$("publish").onclick = async () => {
  try {
    const r = await call("/api/console/announcements/publish", { method: "POST",
      body: { version: content.draft.version } });
    status("");
    await loadContent();
    await Promise.all([loadReleases(), loadHours()]);
    $("diff").textContent = "已发布为版本 " + r.release + "，自助机将在一分钟内更新。 / Published as release " +
      r.release + "; the kiosks update within a minute.";
  } catch (err) {
    status(err.message);
  }
  if (me.role === "admin")
    await loadAudit();
};

function showSecret (name, password) {
  const p = $("secret");
  p.replaceChildren();
  const code = document.createElement("code");
  code.textContent = password;
  p.append("账号 " + name + " 的一次性密码（只显示这一次，请当面交给本人）： / " +
           "One-time password for " + name + " (shown only now; hand it over in person): ", code);
  p.hidden = false;
}

for (const [value, label] of Object.entries(ROLES))
  $("add-role").append(new Option(label, value));

$("sign-in").onsubmit = async (e) => {
  e.preventDefault();
  try {
    me = await signIn($("name").value.trim(), $("password").value);
    $("password").value = "";
    status("");
  } catch (err) {
    status(err.message);
    return;
  }
  await render().catch(err => status(err.message));
};

$("sign-out").onclick = async () => {
  try {
    await signOut();
  } catch (err) {
    status(err.message);
  }
  me = null;
  await render();
};

$("password-form").onsubmit = async (e) => {
  e.preventDefault();
  try {
    me = await changePassword($("old-password").value, $("new-password").value);
    $("old-password").value = $("new-password").value = "";
    status("密码已修改，其他地方的登录已退出。 / Password changed; every other session is signed out.");
  } catch (err) {
    status(err.message);
    return;
  }
  await render().catch(err => status(err.message));
};

$("add-form").onsubmit = async (e) => {
  e.preventDefault();
  const body = { name: $("add-name").value.trim(), display_name: $("add-display").value.trim(),
                 role: $("add-role").value };
  if (me.hall === null)
    body.hall = $("add-hall").value.trim() || null;
  try {
    const r = await call("/api/console/accounts", { method: "POST", body });
    showSecret(r.name, r.password);
    $("add-form").reset();
    status("");
  } catch (err) {
    status(err.message);
  }
  await loadAccounts();
  await loadAudit();
};

$("audit-filter").onsubmit = (e) => {
  e.preventDefault();
  loadAudit().catch(err => status(err.message));
};

me = await current().catch(err => { status(err.message); return null; });
await render().catch(err => status(err.message));
