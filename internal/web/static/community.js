// Community conveniences. Every form works without this script; it makes
// upvotes instant: the button flips at once (optimistic update), the vote is
// sent with fetch, and the server's count replaces the guess (or the guess
// is undone when the vote failed).
(function () {
  "use strict";

  function setVoted(form, voted, count, tip) {
    var button = form.querySelector("button");
    var on = form.querySelector("input[name=on]");
    var label = button.querySelector(".visually-hidden");
    button.setAttribute("aria-pressed", voted ? "true" : "false");
    on.value = voted ? "0" : "1";
    if (label) label.textContent = voted ? "Remove your upvote" : "Upvote";
    button.querySelector(".vote-count").textContent = count.toLocaleString("en-US");
    if (tip) button.title = tip + (voted ? " · you upvoted this; click to take it back" : " · click to upvote");
  }

  function count(form) {
    return parseInt(form.querySelector(".vote-count").textContent.replace(/[^0-9]/g, ""), 10) || 0;
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("vote-form") || !window.fetch) return;
    ev.preventDefault();
    var button = form.querySelector("button");
    if (button.getAttribute("aria-busy") === "true") return; // one request at a time per button
    var wasVoted = button.getAttribute("aria-pressed") === "true";
    var before = count(form);
    var data = new FormData(form);
    setVoted(form, !wasVoted, before + (wasVoted ? -1 : 1));
    button.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(data),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": data.get("csrf") }
    }).then(function (res) {
      return res.json().then(function (body) { return { res: res, body: body }; });
    }).then(function (r) {
      if (r.res.status === 401 && r.body.login) {
        window.location.href = r.body.login;
        return;
      }
      if (!r.res.ok) throw new Error(r.body.error || ("status " + r.res.status));
      setVoted(form, r.body.voted, r.body.upvotes, r.body.tip);
      // The same paper may be on the page twice (profile lists): keep both in step.
      document.querySelectorAll("form.vote-form input[name=paper][value='" + r.body.paper + "']").forEach(function (input) {
        if (input.form !== form) setVoted(input.form, r.body.voted, r.body.upvotes, r.body.tip);
      });
    }).catch(function (err) {
      setVoted(form, wasVoted, before);
      button.title = "Your vote did not go through: " + err.message;
    }).finally(function () {
      button.removeAttribute("aria-busy");
    });
  });
})();
