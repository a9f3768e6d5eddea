// The practice timer on a man's phone page. Kept out of the template: the
// Content-Security-Policy allows scripts from our own static files only.
(function () {
  "use strict";
  function start() {
    var button = document.getElementById("timer");
    var clock = document.getElementById("clock");
    if (!button || !clock) { return; }
    button.addEventListener("click", function () {
      var left = Number(button.dataset.seconds) * 60, started = Date.now();
      button.disabled = true;
      var tick = setInterval(function () {
        var remaining = left - Math.floor((Date.now() - started) / 1000);
        if (remaining <= 0) {
          clearInterval(tick);
          clock.textContent = "Time is up.";
          button.disabled = false;
          return;
        }
        clock.textContent = Math.floor(remaining / 60) + ":" + String(remaining % 60).padStart(2, "0");
      }, 1000);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
