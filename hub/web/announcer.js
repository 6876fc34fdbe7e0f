// SPDX-License-Identifier: GPL-3.0-or-later
// Spoken calls, one at a time: a new call waits for the one being spoken
// instead of cutting it off. window.linliAnnouncer.log records each
// announcement with when it started and ended, for the browser test.
"use strict";

(function () {
  const queue = [];
  const log = [];
  let speaking = false;

  // Speak "A023" as "A 0 2 3": a Chinese voice reads digits one by one.
  function spokenText (label, deskZh) {
    return "请 " + label.split("").join(" ") + " 号，到 " + deskZh;
  }

  // How long the slot is held when the browser has no voice (a TV without
  // speech, headless tests): the hall still sees one call at a time.
  function estimateMs (text) {
    return Math.max(2500, text.length * 220);
  }

  function finish (entry) {
    if (entry.ended !== null)
      return;
    entry.ended = performance.now();
    speaking = false;
    next();
  }

  function next () {
    if (speaking || queue.length === 0)
      return;
    const entry = queue.shift();
    speaking = true;
    entry.started = performance.now();
    log.push(entry);
    const guardMs = estimateMs(entry.text);
    const synth = window.speechSynthesis;
    let spoke = false;
    if (synth && typeof SpeechSynthesisUtterance !== "undefined") {
      const u = new SpeechSynthesisUtterance(entry.text);
      u.lang = "zh-CN";
      u.rate = 0.9;
      u.onstart = () => { spoke = true; };
      u.onend = () => {
        // An utterance that never really played (no voice) still holds its slot.
        const held = performance.now() - entry.started;
        setTimeout(() => finish(entry), spoke ? 0 : Math.max(0, guardMs - held));
      };
      u.onerror = u.onend;
      synth.speak(u);
    }
    // Never stall the queue on a browser that forgets to send "end".
    setTimeout(() => finish(entry), guardMs + 3000);
    if (!synth)
      setTimeout(() => finish(entry), guardMs);
  }

  window.linliAnnouncer = {
    log,
    queue,
    announce (label, deskZh) {
      queue.push({ label, text: spokenText(label, deskZh), queued: performance.now(), started: null, ended: null });
      next();
    },
    isSpeaking: () => speaking,
  };
})();
