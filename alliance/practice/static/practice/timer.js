// The practice timer on a man's phone page. Start counts down the practice's minutes; Stop
// (or the end) writes the whole minutes he spent into the "Minutes" field, which he can change.
// Its words come from the button's data attributes, written in his language by the page.
(function () {
  "use strict";
  var button = document.getElementById("timer");
  var clock = document.getElementById("clock");
  var minutes = document.getElementById("minutes");
  if (!button || !clock) { return; }
  var tick = null, started = 0, startLabel = button.textContent;
  var words = {
    stop: button.dataset.stopLabel || "Stop the timer",
    stopped: button.dataset.stopped || "Stopped.",
    done: button.dataset.done || "Time is up."
  };

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
    if (tick !== null) { stop(words.stopped); return; }
    var total = Number(button.dataset.minutes) * 60;
    started = Date.now();
    button.textContent = words.stop;
    button.setAttribute("aria-pressed", "true");
    clock.textContent = Math.floor(total / 60) + ":00";
    tick = setInterval(function () {
      var remaining = total - Math.floor((Date.now() - started) / 1000);
      if (remaining <= 0) { stop(words.done); return; }
      clock.textContent = Math.floor(remaining / 60) + ":" + String(remaining % 60).padStart(2, "0");
    }, 1000);
  });
})();
