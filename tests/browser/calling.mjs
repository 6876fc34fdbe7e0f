// SPDX-License-Identifier: GPL-3.0-or-later
// The hub's pages in headless Chromium: press Next on the counter page and
// see the display and the ticket page change; two quick calls are both
// announced, in order, the second after the first has finished. The counter
// page names services as the published content does; the display shows the
// content's announcements, and a recalled ticket once.
// The ticket page of the third ticket on a small phone (360×740): the number,
// the service in both languages, people ahead and the wait, live as the
// counter calls, in large type with nothing cut off or wider than the screen.
// Usage: node calling.mjs WEB_URL TOKEN DESK CODE FIRST SECOND THIRD SCREENSHOT_DIR THIRD_CODE
import { chromium } from "playwright-core";

const [base, token, desk, code, first, second, third, shots, thirdCode] = process.argv.slice(2);

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
  const small = await browser.newPage({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 });
  for (const p of [display, phone, counter, small])
    p.on("pageerror", e => { console.error("page error: " + e.message); process.exitCode = 1; });

  await display.goto(base + "/display");
  await phone.goto(base + "/t/" + code);
  await display.waitForFunction(() => window.linliLive === true);
  await phone.waitForFunction(() => window.linliLive === true);
  await phone.waitForSelector("#number");
  check(await phone.textContent("#number") === first, "ticket page shows the number");
  check(await phone.$("#called") === null, "ticket page: not called yet");

  // The display's line: people ahead of a ticket taken now, as the hub's
  // /api/lines counts them (kiosk_lanes_people_ahead_of_newest()).
  await display.waitForFunction(() => document.getElementById("lines")?.textContent.includes("取号后前面 3 人"));
  check((await display.textContent("#lines")).includes("3 people ahead of a new ticket"),
        "display: people ahead of a new ticket, in both languages");

  await small.goto(base + "/t/" + thirdCode);
  await small.waitForFunction(() => window.linliLive === true);
  await small.waitForSelector("#ahead");
  check(await small.textContent("#number") === third, "phone page: the number");
  const service = await small.textContent("#service");
  check(service.includes("养老保险关系转移") && service.includes("Pension account transfer"),
        "phone page: the service in Chinese and English: " + service);
  check((await small.textContent("#ahead")).includes("前面还有 2 人"), "phone page: 2 people ahead");
  check((await small.textContent("#ahead")).includes("2 people ahead"), "phone page: people ahead in English");
  check((await small.textContent("#wait")).includes("约 20–30 分钟"), "phone page: the estimated wait");
  // Chinese first: each pair's Chinese line is above its English one.
  check(await small.evaluate(() => [...document.querySelectorAll(".ticket .zh")].every(zh => {
    const en = zh.parentElement.querySelector(".en");
    return !en || zh.getBoundingClientRect().bottom <= en.getBoundingClientRect().top + 1;
  })), "phone page: Chinese above English");
  const layout = await small.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    number: parseFloat(getComputedStyle(document.getElementById("number")).fontSize),
    smallest: Math.min(...[...document.querySelectorAll(".ticket .zh, .ticket .en")]
                            .map(e => parseFloat(getComputedStyle(e).fontSize))),
    bottom: Math.max(...[...document.querySelectorAll(".ticket > *")].map(e => e.getBoundingClientRect().bottom)),
    narrowest: Math.min(...[...document.querySelectorAll(".ticket > *")].map(e => e.getBoundingClientRect().width)),
    html: document.getElementById("ticket").innerHTML,
  }));
  check(layout.scroll <= 360, "phone page: no sideways scrolling (" + layout.scroll + " px)");
  check(layout.number >= 72, "phone page: the number large (" + layout.number + " px)");
  check(layout.smallest >= 13, "phone page: no text under 13 px (" + layout.smallest + " px)");
  check(layout.narrowest >= 300, "phone page: blocks use the width (" + layout.narrowest + " px)");
  check(layout.bottom <= 740, "phone page: all on the first screen (" + layout.bottom + " px)");
  check(!layout.html.includes("<script") && !/ on[a-z]+=/.test(layout.html), "phone page: no markup from data");
  await small.screenshot({ path: shots + "/ticket-page.png" });

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
  await phone.screenshot({ path: shots + "/ticket-page-called.png" });
  // Live: one called, so one fewer ahead of the third, without a reload.
  await small.waitForFunction(() => document.getElementById("ahead")?.textContent.includes("前面还有 1 人"));
  check(true, "phone page: people ahead go down as the counter calls");
  await display.waitForFunction(() => document.getElementById("lines")?.textContent.includes("取号后前面 2 人"));
  check(true, "display: the line's count follows the call");
  check((await small.textContent("#wait")).includes("约 10–15 分钟"), "phone page: the wait follows");

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
