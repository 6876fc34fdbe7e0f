// SPDX-License-Identifier: GPL-3.0-or-later
// The hall TV: the latest call very large, the four before it, the
// announcements of the published content; live from /events, each call
// spoken once, in order. /display?hall=ID shows that hall's content.
"use strict";

const hall = new URLSearchParams(location.search).get("hall");

let calls = [];

function el (tag, cls, text) {
  const e = document.createElement(tag);
  if (cls)
    e.className = cls;
  if (text !== undefined)
    e.textContent = text;
  return e;
}

function renderLatest (fresh) {
  const box = document.getElementById("latest");
  box.replaceChildren();
  box.classList.remove("fresh");
  if (calls.length === 0) {
    box.append(el("div", "idle", "请稍候 / Please wait"));
    return;
  }
  const c = calls[0];
  const zh = el("div", "zh");
  zh.append("请 ", el("b", "label", c.label), " 号到 " + c.desk_zh);
  box.append(zh, el("div", "en", "Number " + c.label + ", please go to " + c.desk_en));
  if (fresh) {
    void box.offsetWidth;  // restart the animation
    box.classList.add("fresh");
  }
}

function renderHistory () {
  const box = document.getElementById("history");
  box.replaceChildren();
  for (const c of calls.slice(1, 5)) {
    const d = el("div", null, c.label);
    d.append(el("small", null, c.desk_zh + " / " + c.desk_en));
    box.append(d);
  }
}

function renderNotes (notes) {
  const box = document.getElementById("notes");
  box.replaceChildren();
  for (const n of notes) {
    const note = el("div", "note");
    note.append(el("b", null, n.title_zh), el("span", null, n.body_zh),
                el("span", "en", n.title_en + ": " + n.body_en));
    box.append(note);
  }
  box.hidden = notes.length === 0;
}

// Each line of numbers: people ahead of a ticket taken now, the count its
// slip will print (kiosk_lanes_people_ahead_of_newest() on the hub).
async function loadLines () {
  const r = await fetch("/api/lines" + (hall ? "?hall=" + encodeURIComponent(hall) : ""));
  if (!r.ok)
    return;
  const data = await r.json();
  const box = document.getElementById("lines");
  box.replaceChildren();
  for (const l of data.lines) {
    const d = el("div", null);
    d.append(el("b", null, l.prefix || l.queue),
             el("span", null, " 取号后前面 " + l.people_ahead + " 人"),
             el("small", null, l.people_ahead === 1 ? "1 person ahead of a new ticket"
                                                    : l.people_ahead + " people ahead of a new ticket"));
    box.append(d);
  }
  box.hidden = data.lines.length === 0;
}

async function load () {
  const r = await fetch("/api/display" + (hall ? "?hall=" + encodeURIComponent(hall) : ""));
  if (!r.ok)
    return;
  const data = await r.json();
  calls = data.calls;
  renderLatest(false);
  renderHistory();
  renderNotes(data.announcements);
  loadLines();
}

function onEvent (message) {
  const ev = JSON.parse(message.data);
  if (ev.type !== "call") {
    loadLines();
    return;
  }
  // A recall brings the ticket back to the top; it is not listed twice.
  calls = [ev, ...calls.filter(c => c.label !== ev.label)].slice(0, 5);
  renderLatest(true);
  renderHistory();
  loadLines();
  window.linliAnnouncer.announce(ev.label, ev.desk_zh);
}

const source = new EventSource("/events");
source.onmessage = onEvent;
// After a reconnect, catch up on what was missed.
source.onopen = () => { window.linliLive = true; load(); };
// New tickets send no event: the lines are asked for again now and then.
setInterval(loadLines, 30000);
load();
