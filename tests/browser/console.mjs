// SPDX-License-Identifier: GPL-3.0-or-later
// The staff console in headless Chromium, as a centre's staff use it: the
// first admin signs in with the one-time password the shell printed and must
// set their own; adds a counter clerk whose display name is markup (shown as
// text); the clerk signs in, sets a password and calls a ticket at the
// counter page with that session; five wrong passwords lock an account, and
// the page says until when.
// Usage: node console.mjs WEB_URL ONE_TIME_PASSWORD DESK SCREENSHOT_DIR
import { chromium } from "playwright-core";

const [base, oneTime, desk, shots] = process.argv.slice(2);
const MARKUP = "<img src=x onerror=alert(1)>";

function check (ok, what) {
  if (!ok)
    throw new Error("failed: " + what);
  console.error("# ok: " + what);
}

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function signIn (page, name, password) {
  await page.goto(base + "/console");
  await page.waitForSelector("#sign-in:not([hidden])");
  await page.fill("#name", name);
  await page.fill("#password", password);
  await page.click("#sign-in button[type=submit]");
}

try {
  const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN",
                                                  timezoneId: "Asia/Shanghai" })).newPage();
  let alerted = false;
  admin.on("dialog", d => { alerted = true; d.dismiss(); });
  admin.on("pageerror", e => { console.error("page error: " + e.message); process.exitCode = 1; });

  await signIn(admin, "chief", oneTime);
  await admin.waitForSelector("#password-form:not([hidden])");
  check(await admin.isVisible("#must-change"), "a one-time password must be changed first");
  check(await admin.isHidden("#accounts"), "nothing else before it is");
  await admin.screenshot({ path: shots + "/console-first-sign-in.png" });
  await admin.fill("#old-password", oneTime);
  await admin.fill("#new-password", "district chief 2026");
  await admin.click("#password-form button[type=submit]");
  await admin.waitForSelector("#accounts:not([hidden])");
  check((await admin.textContent("#who-name")).includes("管理员"), "the header names the role in Chinese");

  // Announcements: a new one, typed in the form, saved as a draft and published.
  await admin.waitForSelector("#content:not([hidden]) fieldset.note");
  const liveNotes = await admin.locator("#notes fieldset.note").count();
  await admin.click("#add-note");
  const note = admin.locator("#notes fieldset.note").last();
  await note.locator("[data-path='id']").fill("lamp-repair");
  await note.locator("[data-path='title.zh']").fill("路灯维修 " + MARKUP);
  await note.locator("[data-path='title.en']").fill("Street lamp repair");
  await note.locator("[data-path='body.zh']").fill("本周三 20:00–21:00 园区东路停电维修路灯。");
  await note.locator("[data-path='body.en']").fill("Street lamps on East Road are repaired on Wednesday, 20:00–21:00.");
  await note.locator("[data-path='valid_from']").fill("2026-12-01T08:00");
  await admin.click("#save-draft");
  await admin.waitForFunction(() => document.getElementById("diff").textContent.includes("新增 1 条，删除 0 条，修改 0 条"));
  check(await admin.locator("#notes fieldset.note").count() === liveNotes + 1, "the draft holds the new announcement");
  check(await admin.isVisible("#publish"), "an admin may publish");
  await admin.screenshot({ path: shots + "/console-announcements.png", fullPage: true });
  // Opening hours: tomorrow closed in the draft, seen in the 30-day calendar, published with the announcement.
  await admin.waitForSelector("#hours-tables fieldset.hours-table");
  const tomorrow = await admin.textContent("#calendar-rows tr:nth-child(2) td:first-child");
  const date = tomorrow.slice(0, 10);
  const hall = admin.locator("#hours-tables fieldset.hours-table[data-id='hall'] [data-field=holidays]");
  await hall.fill((await hall.inputValue()) + "\n" + date);
  await admin.click("#save-hours");
  await admin.waitForFunction(d => {
    const row = [...document.querySelectorAll("#calendar-rows tr")].find(tr => tr.cells[0].textContent.startsWith(d));
    const col = [...document.querySelectorAll("#calendar-head th")].findIndex(th => th.textContent === "hall");
    return row && col > 0 && row.cells[col].textContent.startsWith("休息");
  }, date);
  check(true, "a holiday in the draft shows in the 30-day calendar");
  await admin.locator("#hours").screenshot({ path: shots + "/console-hours.png" });
  await admin.click("#publish");
  await admin.waitForFunction(() => document.getElementById("diff").textContent.includes("已发布为版本"));
  check(!alerted, "an announcement title that is markup runs nothing");
  // One button back to the release before: a new, higher release with the old content.
  await admin.waitForSelector("#release-rows button");
  await admin.click("#release-rows button");
  await admin.waitForFunction(() => document.getElementById("diff").textContent.includes("已恢复为新版本"));
  check(await admin.locator("#notes fieldset.note").count() === liveNotes, "the restored release has the old announcements");
  check((await admin.textContent("#release-rows")).includes("恢复自版本"), "the releases list says which it restores");

  await admin.fill("#add-name", "clerk");
  await admin.fill("#add-display", MARKUP);
  await admin.selectOption("#add-role", "counter");
  await admin.fill("#add-hall", "hall-1");
  await admin.click("#add-form button[type=submit]");
  await admin.waitForSelector("#secret:not([hidden])");
  const clerkPassword = await admin.textContent("#secret code");
  check(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/.test(clerkPassword), "a one-time password is shown once");
  await admin.waitForFunction(m => [...document.querySelectorAll("#account-rows td")].some(td => td.textContent === m),
                              MARKUP);
  check(await admin.locator("#account-rows img").count() === 0, "a display name that is markup stays text");
  check(!alerted, "and runs nothing");
  await admin.waitForFunction(() => document.querySelectorAll("#audit-rows tr").length >= 3);
  check((await admin.textContent("#audit-rows")).includes("新增账号"), "the audit log shows the addition");
  await admin.screenshot({ path: shots + "/console-accounts.png", fullPage: true });

  // The clerk: own password first, then the counter page with the same session.
  const clerk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  clerk.on("pageerror", e => { console.error("page error: " + e.message); process.exitCode = 1; });
  await signIn(clerk, "clerk", clerkPassword);
  await clerk.waitForSelector("#password-form:not([hidden])");
  await clerk.fill("#old-password", clerkPassword);
  await clerk.fill("#new-password", "clerk own password");
  await clerk.click("#password-form button[type=submit]");
  await clerk.waitForFunction(() => document.getElementById("status").textContent.includes("密码已修改"));
  check(await clerk.isHidden("#accounts"), "a counter account sees no accounts");
  await clerk.goto(base + "/counter/" + desk);
  await clerk.waitForSelector("#desk:not([hidden])");
  await clerk.waitForSelector("#waiting li");
  await clerk.click("#next");
  await clerk.waitForSelector("#current-label");
  check(true, "the clerk calls a ticket with their own account, no token");

  // A counter page without a session asks for a name and password.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(base + "/counter/" + desk);
  await stranger.waitForSelector("#login:not([hidden])");
  check(await stranger.isVisible("#name"), "the counter page asks for an account");

  // Five wrong passwords: locked, and the page says until when.
  const guesser = await (await browser.newContext({ viewport: { width: 1280, height: 600 } })).newPage();
  for (let i = 0; i < 6; i++) {
    await signIn(guesser, "clerk", "not the password");
    await guesser.waitForFunction(() => document.getElementById("status").textContent !== "");
  }
  check((await guesser.textContent("#status")).includes("已锁定到"), "the lock is shown with its end");
  await guesser.screenshot({ path: shots + "/console-locked.png" });
} finally {
  await browser.close();
}
