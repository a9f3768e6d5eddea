/* The staff shell (templates/base.html): focus and announcements after HTMX swaps, and the
 * header's disclosure menus. No framework; the pages work without it.
 *
 * After every HTMX swap, keyboard focus moves to the swapped content's [data-focus] element,
 * else to its first focusable control (so a tapped attendance button that the swap replaced
 * does not drop focus to <body>), and a [data-announce] message in it is read out by the
 * polite live region #live-status. Content that should not take focus (for example search
 * results that appear as one types) carries data-keep-focus on the swap target.
 */
(function () {
  "use strict";
  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function announce(message) {
    var region = document.getElementById("live-status");
    if (!region || !message) { return; }
    region.textContent = "";
    // A changed text node is what screen readers announce; clear first so a repeat is read.
    window.setTimeout(function () { region.textContent = message; }, 50);
  }

  function swappedRoot(event) {
    var detail = event.detail || {};
    var target = detail.elt || detail.target;
    if (target && target.isConnected) { return target; }
    // An outerHTML swap replaced the target: look it up again by id.
    if (detail.target && detail.target.id) {
      var again = document.getElementById(detail.target.id);
      if (again) { return again; }
    }
    var requester = detail.requestConfig && detail.requestConfig.elt;
    if (requester && requester.id) { return document.getElementById(requester.id); }
    return null;
  }

  // What had focus before the swap, to find its replacement in the new content (the same
  // button, re-rendered as selected) rather than just the first control.
  var before = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    before = active && active !== document.body ? {
      id: active.id, name: active.getAttribute("name"), value: active.getAttribute("value"),
      text: (active.textContent || "").trim(), tag: active.tagName
    } : null;
  });

  function replacement(root) {
    if (!before) { return null; }
    if (before.id) {
      var byId = document.getElementById(before.id);
      if (byId && root.contains(byId)) { return byId; }
    }
    var candidates = root.querySelectorAll(before.tag);
    for (var i = 0; i < candidates.length; i += 1) {
      var c = candidates[i];
      if (before.name && c.getAttribute("name") === before.name &&
          c.getAttribute("value") === before.value) { return c; }
    }
    for (var j = 0; j < candidates.length; j += 1) {
      if (before.text && (candidates[j].textContent || "").trim() === before.text) {
        return candidates[j];
      }
    }
    return null;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = swappedRoot(event);
    if (!root) { return; }
    var messageHolder = root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    if (messageHolder) { announce(messageHolder.getAttribute("data-announce")); }
    var keep = (event.detail && event.detail.target && event.detail.target.closest("[data-keep-focus]"));
    if (keep) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) { return; }
    var focus = root.matches("[data-focus]") ? root : root.querySelector("[data-focus]");
    if (!focus) { focus = replacement(root); }
    if (!focus) { focus = root.matches(FOCUSABLE) ? root : root.querySelector(FOCUSABLE); }
    if (!focus) {
      focus = root;
      if (!focus.hasAttribute("tabindex")) { focus.setAttribute("tabindex", "-1"); }
    }
    focus.focus();
  });

  // A table wider than a phone scrolls inside itself (alliance.css); keyboard users must be
  // able to scroll it too, so a scrolling table with nothing focusable inside takes focus.
  function focusableScrollers(root) {
    (root || document).querySelectorAll("table, .scroll, .table-wrap, .agreement-text").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.querySelector(FOCUSABLE) &&
          !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { focusableScrollers(document); });
  document.addEventListener("htmx:afterSettle", function () { focusableScrollers(document); });

  // Header menus: one open at a time; Escape or a click elsewhere closes them.
  function closeMenus(except) {
    document.querySelectorAll("details.menu-section[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    var inside = event.target.closest && event.target.closest("details.menu-section");
    closeMenus(inside);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.querySelector("details.menu-section[open]");
    if (open) {
      closeMenus(null);
      var summary = open.querySelector("summary");
      if (summary) { summary.focus(); }
    }
  });
}());
