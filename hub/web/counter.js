// SPDX-License-Identifier: GPL-3.0-or-later
// The counter page: /counter/<desk>. A clerk signs in with their own counter
// account (session.js); the shared staff token (?token=…, kept in
// localStorage) still works but is deprecated.
import { call, current, signIn } from "/static/session.js";

const desk = decodeURIComponent(location.pathname.split("/")[2] || "");
const params = new URLSearchParams(location.search);
if (params.get("token")) {
  localStorage.setItem("linli-staff-token", params.get("token"));
  history.replaceState(null, "", location.pathname);
}

const LANES = { elderly: "老年人 / Senior", pregnant: "孕妇 / Pregnant", disabled: "残疾人 / Disabled",
                appointment: "预约 / Appointment" };

function token () {
  return localStorage.getItem("linli-staff-token") || "";
}

function setStatus (text) {
  document.getElementById("status").textContent = text;
}

async function api (path, body) {
  const options = { headers: token() ? { "Authorization": "Bearer " + token() } : {} };
  if (body !== undefined) {
    options.method = "POST";
    options.body = body;
  }
  try {
    return await call("/api/counter/" + encodeURIComponent(desk) + path, options);
  } catch (e) {
    if (e.status === 401 || e.status === 403)
      showLogin();
    throw e;
  }
}

// A service as the published content names it ("居住证申领 / Residence
// permit application"); its id only when the content does not name it.
let names = {};
function serviceName (id) {
  const n = names[id];
  return n ? n.zh + " / " + n.en : id;
}

function showLogin () {
  document.getElementById("login").hidden = false;
  document.getElementById("desk").hidden = true;
}

function render (data) {
  document.getElementById("login").hidden = true;
  document.getElementById("desk").hidden = false;
  document.getElementById("title").textContent = data.desk.name_zh + " / " + data.desk.name_en;
  names = data.names || {};
  const current = document.getElementById("current");
  current.replaceChildren();
  if (data.current) {
    const b = document.createElement("b");
    b.id = "current-label";
    b.textContent = data.current.label;
    const service = document.createElement("span");
    service.id = "current-service";
    service.textContent = serviceName(data.current.service);
    current.append("正在呼叫 / Calling", b, service);
  } else {
    current.textContent = "没有正在呼叫的号 / No ticket being called";
  }
  for (const id of ["recall", "served", "no-show", "transfer"])
    document.getElementById(id).disabled = !data.current;

  const select = document.getElementById("service");
  const chosen = select.value;
  select.replaceChildren(...data.desk.services.map(s => new Option(serviceName(s), s)));
  if (chosen)
    select.value = chosen;

  const list = document.getElementById("waiting");
  list.replaceChildren();
  for (const w of data.waiting) {
    const li = document.createElement("li");
    li.textContent = w.label;
    if (w.lane !== "normal")
      li.className = "priority";
    const small = document.createElement("small");
    small.textContent = serviceName(w.service) + (LANES[w.lane] ? " · " + LANES[w.lane] : "");
    li.append(small);
    list.append(li);
  }
  document.getElementById("count").textContent = "(" + data.waiting.length + ")";
}

async function refresh () {
  try {
    render(await api(""));
  } catch (e) {
    setStatus(e.message);
  }
}

async function act (action, body) {
  try {
    const ev = await api("/" + action, body || {});
    if (action === "next" && !ev.label)
      setStatus("没有人等候 / Nobody is waiting");
    else
      setStatus("");
  } catch (e) {
    setStatus(e.message);
  }
  await refresh();
}

document.getElementById("next").onclick = () => act("next");
document.getElementById("recall").onclick = () => act("recall");
document.getElementById("served").onclick = () => act("served");
document.getElementById("no-show").onclick = () => act("no-show");
document.getElementById("transfer").onclick = () =>
  act("transfer", { service: document.getElementById("service").value });
document.getElementById("call").onclick = () =>
  act("call", { number: document.getElementById("number").value.trim().toUpperCase() });
document.getElementById("login").onsubmit = async (e) => {
  e.preventDefault();
  try {
    await signIn(document.getElementById("name").value.trim(), document.getElementById("password").value);
    document.getElementById("password").value = "";
    setStatus("");
  } catch (err) {
    setStatus(err.message);
    return;
  }
  refresh();
};

// Other desks call from the same line: keep the waiting list current.
const source = new EventSource("/events");
source.onmessage = refresh;
source.onopen = () => { window.linliLive = true; refresh(); };
if (!token())
  await current().catch(e => setStatus(e.message));
refresh();
