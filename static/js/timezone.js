// Sign-up: the browser's time zone goes into the hidden time_zone field, so dates and times are
// shown in the person's own zone from the start. The server checks the name and falls back to UTC;
// the profile can change it.
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  document.querySelectorAll("input[type=hidden][name=time_zone]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
})();
