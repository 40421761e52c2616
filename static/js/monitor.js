/* Invigilator view: refresh the candidate table every 10 seconds. */
(function () {
  "use strict";
  var box = document.getElementById("monitor");
  if (!box) return;
  setInterval(function () {
    if (box.querySelector("details[open]")) return;
    fetch(box.dataset.refresh, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html) box.innerHTML = html; }).catch(function () {});
  }, 10000);
})();
