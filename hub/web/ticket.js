// SPDX-License-Identifier: GPL-3.0-or-later
// The live ticket page a slip's QR opens: /t/<public code>. The number, the
// service, people ahead (kiosk_lanes_people_ahead() on the hub, the count
// the slip printed), the wait and, once called, the desk; nothing personal.
// Chinese first, English under it. Data only through textContent.
"use strict";

const code = decodeURIComponent(location.pathname.split("/")[2] || "");
// Phones suspend event streams in the background: ask again now and then too.
const REFRESH_MS = 30000;

function el (tag, cls, text) {
  const e = document.createElement(tag);
  if (cls)
    e.className = cls;
  if (text !== undefined)
    e.textContent = text;
  return e;
}

// Two lines: the Chinese large, the English under it.
function both (cls, zh, en) {
  const box = el("div", cls);
  box.append(el("div", "zh", zh), el("div", "en", en));
  return box;
}

// As the kiosk's kiosk_wait_format_range(): 5-minute steps, hours from 2 h.
function waitText (low, high) {
  if (low < 0 || high < 0)
    return ["暂无估计", "no estimate"];
  if (high === 0)
    return ["无需等待", "no wait"];
  if (low >= 120) {
    const h = m => String(Math.round(m / 30) / 2);
    return ["约 " + h(low) + "–" + h(high) + " 小时", "about " + h(low) + "–" + h(high) + " h"];
  }
  if (low === high)
    return ["约 " + low + " 分钟", "about " + low + " min"];
  return ["约 " + low + "–" + high + " 分钟", "about " + low + "–" + high + " min"];
}

function aheadText (n) {
  if (n === 0)
    return ["前面无人等候", "You are next"];
  return ["前面还有 " + n + " 人", n === 1 ? "1 person ahead" : n + " people ahead"];
}

function fact (id, label, text) {
  const box = el("section", "fact");
  box.id = id;
  box.append(both("label", label[0], label[1]), both("value", text[0], text[1]));
  return box;
}

function stamp () {
  const now = new Date();
  const hm = String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  return both("updated", "叫号时自动更新 · " + hm, "Updates by itself · " + hm);
}

function render (t) {
  const box = document.getElementById("ticket");
  box.replaceChildren();
  const card = el("section", "card");
  card.append(both("caption", "您的号码", "Your number"));
  const number = el("div", "number", t.label);
  number.id = "number";
  card.append(number);
  if (t.service_zh || t.service_en) {
    const service = both("service", t.service_zh || "", t.service_en || "");
    service.id = "service";
    card.append(service);
  }
  box.append(card);

  if (t.state === "called" && t.desk) {
    const called = both("called", "请到 " + t.desk.name_zh, "Please go to " + t.desk.name_en);
    called.id = "called";
    box.append(called);
  } else if (t.state === "served") {
    box.append(both("done", "已办结，谢谢", "Done, thank you"));
  } else if (t.state === "no_show") {
    box.append(both("missed", "已过号，请到窗口咨询", "Missed your turn? Please ask at a desk"));
  } else if (t.state === "waiting" && t.today === false) {
    box.append(both("missed", "此号已过期", "This ticket has expired"));
  } else if (t.state === "waiting") {
    box.append(fact("ahead", ["排队进度", "Your place"], aheadText(t.people_ahead)));
    box.append(fact("wait", ["预计等候", "Estimated wait"], waitText(t.wait_low_minutes, t.wait_high_minutes)));
  }
  box.append(stamp());
}

function fail (zh, en) {
  const box = document.getElementById("ticket");
  box.replaceChildren(both("missed", zh, en));
}

async function refresh () {
  let r, data;
  try {
    r = await fetch("/api/ticket/" + encodeURIComponent(code), { cache: "no-store" });
    data = await r.json();
  } catch (e) {
    // Keep what is shown; the next event or tick tries again.
    return;
  }
  if (r.status === 404) {
    fail("没有找到此号", "Ticket not found");
    return;
  }
  if (!r.ok) {
    fail("暂时无法查询，请稍后再试", "Cannot check right now; please try again soon");
    return;
  }
  render(data);
  window.linliTicket = data;
}

const source = new EventSource("/events");
source.onmessage = refresh;
source.onopen = () => { window.linliLive = true; refresh(); };
setInterval(refresh, REFRESH_MS);
document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });
refresh();
