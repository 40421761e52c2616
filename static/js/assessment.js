/* Scoring page: each change of a score (or a comment) is PUT to the API at once with a sequence
   number (the millisecond clock, increasing per page). Without JavaScript the page's form posts
   normally. A write someone else made later wins: the page then shows the stored value and who
   changed it. */
(function () {
  "use strict";
  var form = document.getElementById("score-form");
  if (!form || !window.fetch) { return; }
  var api = form.getAttribute("data-api");
  var lastSeq = 0;

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (m) { return decodeURIComponent(m[1]); }
    var i = form.querySelector("input[name=csrfmiddlewaretoken]");
    return i ? i.value : "";
  }

  function nextSeq() {
    lastSeq = Math.max(lastSeq + 1, Date.now());
    return lastSeq;
  }

  function show(fieldset, text) {
    var status = fieldset.querySelector("[data-role=status]");
    if (status) { status.textContent = text; }
  }

  function apply(fieldset, stored) {
    var item = fieldset.getAttribute("data-item");
    var radio = document.getElementById("score-" + item + "-" + stored.score);
    if (radio) { radio.checked = true; }
    var comment = document.getElementById("comment-" + item);
    if (comment) { comment.value = stored.comment; }
    var base = fieldset.querySelector("[data-role=base]");
    if (base) { base.value = String(stored.seq); }
  }

  function save(fieldset) {
    var item = fieldset.getAttribute("data-item");
    var checked = fieldset.querySelector("input[type=radio]:checked");
    if (!checked) { return; }
    var comment = document.getElementById("comment-" + item);
    var body = { score: parseInt(checked.value, 10), comment: comment ? comment.value : null, seq: nextSeq() };
    show(fieldset, form.getAttribute("data-saving"));
    fetch(api + item, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, status: response.status, data: data }; });
    }).then(function (r) {
      if (r.ok) {
        apply(fieldset, r.data);
        if (r.data.stale) {
          show(fieldset, form.getAttribute("data-stale") + " " + (r.data.changed_by || "—") + ", " +
            new Date(r.data.changed_at).toLocaleString());
        } else {
          show(fieldset, form.getAttribute("data-saved") + " " + new Date(r.data.changed_at).toLocaleTimeString());
        }
      } else if (r.status === 409) {
        show(fieldset, (r.data && r.data.detail) || form.getAttribute("data-locked"));
      } else {
        show(fieldset, (r.data && r.data.detail) || form.getAttribute("data-failed"));
      }
    }).catch(function () {
      show(fieldset, form.getAttribute("data-failed"));
    });
  }

  var fieldsets = document.querySelectorAll("fieldset[data-item]");
  Array.prototype.forEach.call(fieldsets, function (fieldset) {
    fieldset.addEventListener("change", function (event) {
      if (event.target.type === "radio" || event.target.tagName === "TEXTAREA") { save(fieldset); }
    });
  });
})();
