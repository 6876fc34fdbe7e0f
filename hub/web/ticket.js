// SPDX-License-Identifier: GPL-3.0-or-later
// The live ticket page a slip's QR opens: /t/<public code>. Shows the
// number, people ahead, the wait and, once called, the desk. Nothing else.
"use strict";

const code = decodeURIComponent(location.pathname.split("/")[2] || "");

function row (list, zh, en, value) {
  const dt = document.createElement("dt");
  dt.textContent = zh + " / " + en;
  const dd = document.createElement("dd");
  dd.textContent = value;
  list.append(dt, dd);
}

function waitText (t) {
  if (t.wait_low_minutes < 0)
    return "—";
  if (t.wait_low_minutes === t.wait_high_minutes)
    return t.wait_low_minutes + " 分钟 / min";
  return t.wait_low_minutes + "–" + t.wait_high_minutes + " 分钟 / min";
}

const STATES = { waiting: "等候中 / Waiting", called: "已叫号 / Called", served: "已办结 / Served",
                 no_show: "已过号 / Missed" };

function render (t) {
  const box = document.getElementById("ticket");
  box.replaceChildren();
  const head = document.createElement("p");
  head.textContent = "您的号码 / Your number";
  const number = document.createElement("div");
  number.className = "number";
  number.id = "number";
  number.textContent = t.label;
  box.append(head, number);
  if (t.state === "called" && t.desk) {
    const called = document.createElement("div");
    called.className = "called";
    called.id = "called";
    called.innerHTML = "";
    const zh = document.createElement("div");
    zh.textContent = "请到 " + t.desk.name_zh;
    const en = document.createElement("div");
    en.className = "en";
    en.textContent = "Please go to " + t.desk.name_en;
    called.append(zh, en);
    box.append(called);
  }
  const list = document.createElement("dl");
  row(list, "状态", "Status", STATES[t.state] || t.state);
  if (t.state === "waiting") {
    row(list, "前面还有", "People ahead", String(t.people_ahead));
    row(list, "预计等候", "Estimated wait", waitText(t));
  }
  box.append(list);
}

async function refresh () {
  const r = await fetch("/api/ticket/" + encodeURIComponent(code));
  const data = await r.json();
  if (!r.ok) {
    document.getElementById("ticket").textContent = data.reason;
    return;
  }
  render(data);
}

const source = new EventSource("/events");
source.onmessage = refresh;
source.onopen = () => { window.linliLive = true; refresh(); };
refresh();
