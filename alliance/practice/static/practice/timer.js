// The practice timer on a man's phone page. Start counts down the practice's minutes; Stop
// (or the end) writes the whole minutes he spent into the "Minutes" field, which he can change.
(function () {
  "use strict";
  var button = document.getElementById("timer");
  var clock = document.getElementById("clock");
  var minutes = document.getElementById("minutes");
  if (!button || !clock) { return; }
  var tick = null, started = 0, startLabel = button.textContent;

  function stop(message) {
    clearInterval(tick);
    tick = null;
    var spent = Math.max(1, Math.ceil((Date.now() - started) / 60000));
    if (minutes) { minutes.value = String(Math.min(spent, 240)); }
    clock.textContent = message;
    button.textContent = startLabel;
    button.setAttribute("aria-pressed", "false");
  }

  button.addEventListener("click", function () {
    if (tick !== null) { stop("Stopped."); return; }
    var total = Number(button.dataset.minutes) * 60;
    started = Date.now();
    button.textContent = "Stop the timer";
    button.setAttribute("aria-pressed", "true");
    clock.textContent = Math.floor(total / 60) + ":00";
    tick = setInterval(function () {
      var remaining = total - Math.floor((Date.now() - started) / 1000);
      if (remaining <= 0) { stop("Time is up."); return; }
      clock.textContent = Math.floor(remaining / 60) + ":" + String(remaining % 60).padStart(2, "0");
    }, 1000);
  });
})();
