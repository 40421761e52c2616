// Copy buttons for share links: shown only where the clipboard can be written; the status line
// tells screen-reader users the link was copied.
(function () {
  if (!navigator.clipboard) return;
  var gettext = window.gettext || function (text) { return text; };
  document.querySelectorAll(".copy-button").forEach(function (button) {
    var input = document.getElementById(button.dataset.copyTarget);
    var status = button.parentElement.querySelector(".copy-status");
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () { if (status) status.textContent = gettext("Link copied."); },
        function () { input.select(); if (status) status.textContent = gettext("Press Ctrl+C to copy the selected link."); }
      );
    });
  });
})();
