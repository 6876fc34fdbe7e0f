// SPDX-License-Identifier: GPL-3.0-or-later
// The hub's pages in headless Chromium: press Next on the counter page and
// see the display and the ticket page change; two quick calls are both
// announced, in order, the second after the first has finished. The counter
// page names services as the published content does; the display shows the
// content's announcements, and a recalled ticket once.
// Usage: node calling.mjs WEB_URL TOKEN DESK CODE FIRST SECOND THIRD SCREENSHOT_DIR
import { chromium } from "playwright-core";

const [base, token, desk, code, first, second, third, shots] = process.argv.slice(2);

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
try {
  const display = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const counter = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  for (const p of [display, phone, counter])
    p.on("pageerror", e => { console.error("page error: " + e.message); process.exitCode = 1; });

  await display.goto(base + "/display");
  await phone.goto(base + "/t/" + code);
  await display.waitForFunction(() => window.linliLive === true);
  await phone.waitForFunction(() => window.linliLive === true);
  await phone.waitForSelector("#number");
  check(await phone.textContent("#number") === first, "ticket page shows the number");
  check(await phone.$("#called") === null, "ticket page: not called yet");

  await counter.goto(base + "/counter/" + desk + "?token=" + encodeURIComponent(token));
  await counter.waitForFunction(() => window.linliLive === true);
  await counter.waitForSelector("#waiting li");
  check(await counter.locator("#waiting li").count() === 3, "counter page lists the three waiting");
  check((await counter.textContent("#waiting li small")).startsWith("养老保险关系转移 / Pension account transfer"),
        "counter page names the service from the content: " + await counter.textContent("#waiting li small"));
  check(await counter.textContent("#service option") === "养老保险关系转移 / Pension account transfer",
        "the transfer list names the service");
  await display.waitForSelector("#notes .note");
  check((await display.textContent("#notes")).includes("律师值班时间"), "display shows the content's announcements");
  check((await display.textContent("#notes")).includes("Duty lawyer hours"), "… in English too");

  await counter.click("#next");
  await counter.waitForSelector("#current-label");
  check(await counter.textContent("#current-label") === first, "counter page shows the ticket called");
  await display.waitForFunction(l => document.querySelector(".latest .label")?.textContent === l, first);
  check(true, "display shows the call at once");
  await phone.waitForSelector("#called");
  check((await phone.textContent("#called")).includes("号窗口"), "ticket page shows the desk once called");
  await counter.waitForFunction(() => document.querySelectorAll("#waiting li").length === 2);
  await counter.screenshot({ path: shots + "/counter-page.png" });
  await phone.screenshot({ path: shots + "/ticket-page.png" });

  // Two calls in quick succession, while the first announcement is still going.
  await counter.evaluate(async (d) => {
    const init = { method: "POST", headers: { "Authorization": "Bearer " + localStorage.getItem("linli-staff-token") } };
    await fetch("/api/counter/" + d + "/next", init);
    await fetch("/api/counter/" + d + "/next", init);
  }, desk);
  await display.waitForFunction(() => window.linliAnnouncer.log.length === 3
                                && window.linliAnnouncer.log.every(e => e.ended !== null), null, { timeout: 60000 });
  const log = await display.evaluate(() => window.linliAnnouncer.log);
  check(JSON.stringify(log.map(e => e.label)) === JSON.stringify([first, second, third]),
        "three calls announced in order: " + log.map(e => e.label).join(", "));
  check(log[2].queued < log[1].ended, "the third call arrived while the second was being announced");
  for (let i = 1; i < log.length; i++)
    check(log[i].started >= log[i - 1].ended, "announcement " + (i + 1) + " starts after " + i + " ends");
  check(await display.textContent(".latest .label") === third, "display shows the newest call");
  check(await display.locator(".history div").count() === 2, "display lists the earlier calls");

  // A recall of the ticket being called: still at the top, not in the history too.
  await counter.click("#recall");
  await display.waitForFunction(() => window.linliAnnouncer.log.length === 4, null, { timeout: 60000 });
  const history = await display.locator(".history div").evaluateAll(ds => ds.map(d => d.firstChild.textContent));
  check(JSON.stringify(history) === JSON.stringify([second, first]),
        "after a recall the history lists each ticket once: " + history.join(", "));
  check(await display.textContent(".latest .label") === third, "the recalled ticket is the newest call");
  await display.reload();
  await display.waitForFunction(() => window.linliLive === true);
  await display.waitForSelector(".history div");
  const reloaded = await display.locator(".history div").evaluateAll(ds => ds.map(d => d.firstChild.textContent));
  check(JSON.stringify(reloaded) === JSON.stringify([second, first]),
        "… and so does the display loaded afresh: " + reloaded.join(", "));
  await display.screenshot({ path: shots + "/display.png" });
} finally {
  await browser.close();
}
