/* Exam page enhancement. The server's deadline decides; this script only
   displays it (offset between server_now and the browser clock, re-synced on
   every response), saves each click at once, and keeps unsent answers in
   localStorage, replaying them in order when the connection returns. */
(function () {
  "use strict";
  /* Texts through Django's JavaScript catalogue of the page's language (/jsi18n/<language>/),
     English where it did not load. */
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (fmt, obj) {
    return fmt.replace(/%\((\w+)\)s/g, function (m, name) { return String(obj[name]); });
  };
  var root = document.getElementById("exam");
  var timer = document.querySelector(".exam-timer");
  var offset = 0, deadline = null, warned = {}, hidden = false;

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var i = document.querySelector("input[name=csrfmiddlewaretoken]");
    return i ? i.value : "";
  }
  function sync(serverNow, dl) {
    if (serverNow) offset = Date.parse(serverNow) - Date.now();
    if (!dl) return;
    var next = Date.parse(dl);
    if (deadline && next > deadline + 1000 && announce) {
      announce.textContent = (timer.dataset.extended || gettext("Your time has been extended.")) + " " + fmt(next - (Date.now() + offset));
      warned = {};
    }
    deadline = next;
  }
  if (timer) sync(timer.dataset.serverNow, timer.dataset.deadline);

  var valueEl = document.getElementById("timer-value");
  var announce = document.getElementById("timer-announce");
  var toggle = document.querySelector(".timer-toggle");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      hidden = !hidden;
      toggle.textContent = hidden ? gettext("Show timer") : gettext("Hide timer");
      tick();
    });
  }
  function fmt(ms) {
    var s = Math.max(0, Math.floor(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    return (h ? h + ":" : "") + (h && m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  var submitting = false;
  function tick() {
    if (!deadline || !valueEl) return;
    var left = deadline - (Date.now() + offset);
    var lastMinute = left <= 60000;
    valueEl.textContent = hidden && !lastMinute ? gettext("hidden") : fmt(left);
    [[600000, gettext("10 minutes left.")], [60000, gettext("1 minute left.")]].forEach(function (w) {
      if (left <= w[0] && left > w[0] - 5000 && !warned[w[0]]) { warned[w[0]] = true; announce.textContent = w[1]; }
    });
    if (left <= 0 && !submitting && root) { submitting = true; flush().then(submitNow, submitNow); }
  }
  setInterval(tick, 500);
  tick();

  if (!root) return;
  var api = root.dataset.api, attemptId = root.dataset.attempt;
  var key = "fitsm-exam-queue-" + attemptId;
  var status = document.getElementById("save-status");
  function queue() { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function store(q) { try { localStorage.setItem(key, JSON.stringify(q)); } catch (e) { /* storage full: keep in memory */ } }
  function say(text) { if (status) status.textContent = text; }
  var BUSY = (status && status.dataset.busy) || gettext("The server is busy – your answers are kept on this device and will be sent.");
  var OFFLINE = (status && status.dataset.offline) || gettext("Offline – answers kept on this device");
  var lastSeq = 0;
  function nextSeq() { lastSeq = Math.max(lastSeq + 1, Date.now()); return lastSeq; }

  /* One answer, or (when more than one waits: the server was busy or the connection down) the
     first BATCH of the queue in one request, in order. */
  var BATCH = 50;
  function send(entries) {
    var one = entries.length === 1, e0 = entries[0];
    function wire(e) { return { position: e.position, key: e.key, flagged: e.flagged, seq: e.seq, queued_at: e.at || null }; }
    return fetch(one ? api + "/answers/" + e0.position : api + "/answers", {
      method: "PUT", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(one ? wire(e0) : { answers: entries.map(wire) })
    }).then(function (r) {
      var retryAfter = parseInt(r.headers.get("Retry-After") || "0", 10) || 0;
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (body.server_now) { sync(body.server_now, body.deadline); heard = Date.now(); }
        if (r.status === 409) { window.location = "/exams/attempts/" + attemptId + "/result/"; throw new Error("closed"); }
        if (!r.ok) { var e = new Error(body.detail || "error"); e.busy = r.status === 429 || r.status >= 500; e.retryAfter = retryAfter; throw e; }
        return body;
      });
    });
  }
  /* Retrying: a busy server (503, 429, 5xx) or no connection is tried again after a growing,
     jittered pause (1 s doubling up to 15 s, never before Retry-After) so that a room of pages
     does not hammer a server that is catching up. Nothing leaves the queue until the server has
     acknowledged it; a new answer, the connection coming back or the deadline send at once. */
  var failures = 0, notBefore = 0, heard = Date.now();
  function pause(retryAfter) {
    var cap = Math.min(15000, 1000 * Math.pow(2, Math.max(0, failures - 1)));
    return Math.max(cap * (0.5 + Math.random() / 2), retryAfter * 1000);
  }
  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    flushing = (function loop() {
      var q = queue();
      if (!q.length) { flushing = null; failures = 0; say(gettext("Saved")); return Promise.resolve(); }
      if (!failures) say(gettext("Saving…"));  /* while retrying, the busy or offline message stays */
      var batch = q.slice(0, BATCH);
      return send(batch).then(function () {
        failures = 0;
        var rest = queue(); rest.splice(0, batch.length); store(rest); return loop();
      }, function (err) {
        flushing = null;
        if (err && err.message === "closed") return;
        failures += 1;
        notBefore = Date.now() + pause((err && err.retryAfter) || 0);
        say(err && err.busy ? BUSY : OFFLINE);
        throw err;
      });
    })();
    return flushing;
  }
  function enqueue(position, answerKey, flagged) {
    var q = queue();
    /* `at`: when the answer was chosen, by the server's clock as this page knows it. During the
       grace period after the deadline the server takes only answers queued before it. */
    q.push({ position: position, key: answerKey, flagged: flagged, seq: nextSeq(), at: new Date(Date.now() + offset).toISOString() });
    store(q);
    var link = document.querySelector('.nav-q[data-position="' + position + '"]');
    if (link) {
      link.classList.toggle("answered", !!answerKey);
      link.classList.toggle("flagged", !!flagged);
      link.querySelector(".nav-state").textContent = (answerKey ? gettext(", answered") : gettext(", not answered")) + (flagged ? gettext(", flagged") : "");
    }
    flush().catch(function () {});
  }
  var form = document.getElementById("question-form");
  var count = parseInt(root.dataset.count, 10);
  var position = form ? parseInt(form.elements.position.value, 10) : 1;
  function section(p) { return document.getElementById("q-" + p); }
  function chosen(p) { var c = section(p).querySelector("input[type=radio]:checked"); return c ? c.value : null; }
  function flaggedOf(p) { var f = document.getElementById("flagged-" + p); return !!(f && f.checked); }
  function show(p) {
    p = Math.min(Math.max(p, 1), count);
    section(position).hidden = true;
    section(p).hidden = false;
    position = p;
    form.elements.position.value = p;
    document.getElementById("btn-prev").hidden = p === 1;
    document.getElementById("btn-next").hidden = p === count;
    document.querySelectorAll(".nav-q").forEach(function (a) {
      if (parseInt(a.dataset.position, 10) === p) a.setAttribute("aria-current", "step"); else a.removeAttribute("aria-current");
    });
    document.title = interpolate(gettext("Question %(position)s of %(count)s"), { position: p, count: count }, true) + " · FitSM Academy";
    history.replaceState(null, "", "?q=" + p);
    var legend = section(p).querySelector("legend");
    if (legend) { legend.setAttribute("tabindex", "-1"); legend.focus(); }
  }
  if (form) {
    /* Answers queued on this device before a reload are shown as chosen. */
    queue().forEach(function (e) {
      var radio = e.key && document.getElementById("opt-" + e.position + "-" + e.key);
      if (radio) radio.checked = true;
      else if (!e.key) section(e.position).querySelectorAll("input[type=radio]").forEach(function (r) { r.checked = false; });
      var flag = document.getElementById("flagged-" + e.position);
      if (flag && typeof e.flagged === "boolean") flag.checked = e.flagged;
    });
    form.addEventListener("change", function (ev) {
      var sec = ev.target.closest(".question");
      if (!sec) return;
      var p = parseInt(sec.dataset.position, 10);
      enqueue(p, chosen(p), flaggedOf(p));
    });
    form.addEventListener("submit", function (ev) {
      var go = ev.submitter && ev.submitter.value;
      if (!go) return;
      ev.preventDefault();
      if (go === "prev" || go === "next") { show(position + (go === "prev" ? -1 : 1)); return; }
      if (go === "show-en" || go === "show-own") { display(ev.submitter); return; }
      flush().then(function () { window.location = "/exams/attempts/" + attemptId + "/submit/"; },
        function () { say(gettext("Offline – answers kept on this device. You can review and submit when the connection returns.")); });
    });
    document.querySelectorAll(".nav-q").forEach(function (a) {
      a.addEventListener("click", function (ev) { ev.preventDefault(); show(parseInt(a.dataset.position, 10)); });
    });
  }
  /* One question in English and back (where the exam allows it): same options, same letters. */
  function display(btn) {
    var sec = btn.closest(".question"), p = parseInt(sec.dataset.position, 10), toEn = btn.value === "show-en";
    fetch(api + "/items/" + p + "/display", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({ language: toEn ? "en" : root.dataset.language }) })
      .then(function (r) { if (!r.ok) throw new Error("display"); return r.json(); })
      .then(function (q) {
        sec.querySelector("fieldset").setAttribute("lang", q.language);
        sec.querySelector(".q-stem").textContent = q.stem;
        q.options.forEach(function (o) {
          var label = sec.querySelector('label[for="opt-' + p + "-" + o.key + '"]');
          if (label) label.lastChild.textContent = " " + o.text;
        });
        btn.value = toEn ? "show-own" : "show-en";
        btn.textContent = toEn ? btn.dataset.labelOwn : btn.dataset.labelEn;
      }).catch(function () { say(OFFLINE); });
  }
  window.addEventListener("online", function () { report("connection_restored"); notBefore = 0; flush().catch(function () {}); });
  window.addEventListener("offline", function () { say(OFFLINE); });
  document.addEventListener("visibilitychange", function () { report(document.hidden ? "focus_lost" : "focus_regained"); });
  function report(kind) {
    if (!navigator.onLine && kind !== "connection_restored") return;
    fetch(api + "/events", { method: "POST", credentials: "same-origin", keepalive: true,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify({ kind: kind }) }).catch(function () {});
  }
  function submitNow() {
    fetch(api + "/submit", { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrf() } })
      .finally(function () { window.location = "/exams/attempts/" + attemptId + "/result/"; });
  }
  if (queue().length) flush().catch(function () {});
  setInterval(function () {
    if (queue().length && navigator.onLine && Date.now() >= notBefore) flush().catch(function () {});
  }, 1000);
  /* The clock: extra time or a void reaches this page within about 5 s. Answer saves re-sync the
     deadline; when none has answered for a while, a cheap poll asks (no session, no database). */
  var clockUrl = root.dataset.clock;
  function pollClock() {
    if (!clockUrl || submitting || !navigator.onLine || flushing || failures || Date.now() - heard < 4000) return;
    fetch(clockUrl, { credentials: "omit", cache: "no-store" }).then(function (r) {
      if (!r.ok) return;
      return r.json().then(function (body) {
        heard = Date.now();
        if (body.state && body.state !== "in_progress") { window.location = "/exams/attempts/" + attemptId + "/result/"; return; }
        sync(body.server_now, body.deadline);
        tick();
      });
    }).catch(function () {});
  }
  setTimeout(function () { pollClock(); setInterval(pollClock, 4500); }, Math.random() * 1000);
})();
