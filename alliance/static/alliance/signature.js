// The signature pad of the participant agreement (alliance/intake/templates/intake/sign.html).
// Pointer events cover mouse, touch and pen alike. On submit the drawing goes into the hidden
// "signature" field as a PNG data URL; an untouched pad sends nothing, and the typed name with
// the "I agree" box is the alternative for anyone who cannot draw.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  var form = document.getElementById("signing-form");
  if (!canvas || !form) {
    return;
  }
  var field = form.querySelector("input[name=signature]");
  var clear = document.getElementById("signature-clear");
  var context = canvas.getContext("2d");
  var drawing = false;
  var drawn = false;
  var last = null;

  context.lineWidth = 3;
  context.lineCap = "round";
  context.lineJoin = "round";
  context.strokeStyle = "#111";
  canvas.style.touchAction = "none"; // the page must not scroll while he signs

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return {
      x: (event.clientX - box.left) * (canvas.width / box.width),
      y: (event.clientY - box.top) * (canvas.height / box.height),
    };
  }

  function start(event) {
    event.preventDefault();
    drawing = true;
    last = point(event);
    if (canvas.setPointerCapture && event.pointerId !== undefined) {
      canvas.setPointerCapture(event.pointerId);
    }
    // A dot for a single tap.
    context.beginPath();
    context.arc(last.x, last.y, context.lineWidth / 2, 0, 2 * Math.PI);
    context.fillStyle = context.strokeStyle;
    context.fill();
    drawn = true;
  }

  function move(event) {
    if (!drawing) {
      return;
    }
    event.preventDefault();
    var next = point(event);
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(next.x, next.y);
    context.stroke();
    last = next;
    drawn = true;
  }

  function stop() {
    drawing = false;
    last = null;
  }

  if (window.PointerEvent) {
    canvas.addEventListener("pointerdown", start);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);
    canvas.addEventListener("pointerleave", stop);
  } else {
    canvas.addEventListener("mousedown", start);
    canvas.addEventListener("mousemove", move);
    window.addEventListener("mouseup", stop);
  }

  if (clear) {
    clear.addEventListener("click", function () {
      context.clearRect(0, 0, canvas.width, canvas.height);
      drawn = false;
      field.value = "";
    });
  }

  form.addEventListener("submit", function () {
    field.value = drawn ? canvas.toDataURL("image/png") : "";
  });
})();
