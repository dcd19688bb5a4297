// Paperboy's only script. Every page works without it; it adds three
// conveniences: local times, abstract toggles only where text is clamped,
// and a date picker that goes as soon as a date is picked.
(function () {
  "use strict";

  // <time data-local datetime="2023-10-09T17:59:59Z">Oct 9, 2023 17:59 UTC</time>
  // is written in UTC by the server; show it in the reader's time zone.
  function localTimes() {
    var fmt;
    try {
      fmt = new Intl.DateTimeFormat(undefined, {
        year: "numeric", month: "short", day: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      });
    } catch (e) {
      return;
    }
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (isNaN(d)) return;
      el.title = el.textContent; // keep the UTC text on hover
      el.textContent = fmt.format(d);
    });
  }

  // Hide "Show more" under abstracts that fit in their three lines.
  function abstractToggles() {
    document.querySelectorAll(".abstract").forEach(function (box) {
      var toggle = box.querySelector(".abstract-toggle");
      var text = box.querySelector(".abstract-text");
      if (!toggle || !text || toggle.open) return;
      toggle.hidden = text.scrollHeight <= text.clientHeight + 2;
    });
  }

  // Submit the jump form when a date is picked with the mouse; when the
  // reader types, wait for Enter or the Go button (a half-typed date is
  // already a valid one).
  function jumpForms() {
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      var input = form.querySelector("input[type=date]");
      if (!input) return;
      var typed = false;
      input.addEventListener("keydown", function (e) {
        if (e.key !== "Enter") typed = true;
      });
      input.addEventListener("change", function () {
        if (!typed && input.value && input.checkValidity()) form.submit();
      });
    });
  }

  function ready() {
    localTimes();
    abstractToggles();
    jumpForms();
    var t;
    window.addEventListener("resize", function () {
      clearTimeout(t);
      t = setTimeout(abstractToggles, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
