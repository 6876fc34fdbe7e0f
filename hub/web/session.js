// SPDX-License-Identifier: GPL-3.0-or-later
// The one client every staff page talks to the hub through: the session
// cookie goes by itself (same origin, HttpOnly), the CSRF token of the session
// goes in X-CSRF-Token on every change, and an error becomes an Error whose
// message is the hub's own words (Chinese first), for one visible message.

let csrf = "";

export class ApiError extends Error {
  constructor (status, code, reason) {
    super(reason);
    this.status = status;
    this.code = code;
  }
}

export async function call (path, options = {}) {
  const init = { method: options.method || "GET", headers: {}, credentials: "same-origin" };
  if (init.method !== "GET")
    init.headers["X-CSRF-Token"] = csrf;
  if (options.headers)
    Object.assign(init.headers, options.headers);
  if (options.body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.body);
  }
  let r;
  try {
    r = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, "network", "无法连接服务器 / The hub cannot be reached");
  }
  let data = {};
  try {
    data = await r.json();
  } catch (e) {
    data = {};
  }
  if (!r.ok) {
    let reason = data.reason || r.statusText;
    throw new ApiError(r.status, data.error || "http", reason);
  }
  return data;
}

// The account signed in now (and its CSRF token), or null.
export async function current () {
  try {
    const me = await call("/api/console/session");
    csrf = me.csrf;
    return me;
  } catch (e) {
    if (e.status === 401)
      return null;
    throw e;
  }
}

export async function signIn (name, password) {
  const me = await call("/api/console/session", { method: "POST", body: { name, password } });
  csrf = me.csrf;
  return me;
}

export async function signOut () {
  await call("/api/console/session", { method: "DELETE" });
  csrf = "";
}

export async function changePassword (password, newPassword) {
  const me = await call("/api/console/password", { method: "POST",
                                                    body: { password, new_password: newPassword } });
  csrf = me.csrf;
  return me;
}
