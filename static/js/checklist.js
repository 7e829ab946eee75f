/* Live checklist: asks the server for the result panel whenever an answer changes.
 * The rules run only on the server; this script only fetches and swaps HTML. Without
 * JavaScript the form's submit button does the same with a page load, and "Copy note"
 * is a link to the note as text. */
(function () {
  "use strict";

  // The phone's result bar (fixed at the bottom of narrow screens, hidden on wide ones).
  function shownBar() {
    var bar = document.querySelector(".result-bar");
    return bar && window.getComputedStyle(bar).display !== "none" ? bar : null;
  }

  // Its height keeps focused controls clear of it (the CSS's scroll-padding).
  function measureBar() {
    var bar = shownBar();
    var height = bar ? bar.offsetHeight : 0;
    document.documentElement.style.setProperty("--result-bar-height", height + "px");
  }

  // "Copy note": fetch the note as text and put it on the clipboard; where the
  // clipboard may not be written, show the text selected so the reader can copy it.
  function upgradeCopyNote(root) {
    var link = root.querySelector("a.copy-note");
    if (!link) { return; }
    var status = root.querySelector(".copy-note__status");
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.getAttribute("data-copy-label");
    link.replaceWith(button);
    button.addEventListener("click", function () {
      fetch(link.href, { credentials: "same-origin" }).then(function (response) {
        return response.text();
      }).then(function (text) {
        var copy = navigator.clipboard && navigator.clipboard.writeText
          ? navigator.clipboard.writeText(text) : Promise.reject(new Error("no clipboard"));
        return copy.then(function () {
          status.textContent = link.getAttribute("data-copied");
        }, function () {
          var area = root.querySelector(".copy-note__text") || document.createElement("textarea");
          area.className = "copy-note__text";
          area.readOnly = true;
          area.setAttribute("aria-label", link.getAttribute("data-copy-label"));
          area.value = text;
          button.parentNode.after(area);
          area.focus();
          area.select();
          status.textContent = link.getAttribute("data-select-hint");
        });
      });
    });
  }

  // Browsers leave a control that is partly in view where it is, even when the bar
  // covers it: scroll it clear of the bar (WCAG 2.2, 2.4.11 Focus Not Obscured).
  function keepClearOfBar(event) {
    var bar = shownBar();
    if (!bar || bar.contains(event.target)) { return; }
    var drawn = event.target.matches("input[type=radio]") && event.target.nextElementSibling
      ? event.target.nextElementSibling : event.target;
    var overlap = drawn.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
    if (overlap > 0) { window.scrollBy(0, overlap + 8); }
  }

  var result = document.getElementById("result");
  if (result) { upgradeCopyNote(result); }
  measureBar();
  window.addEventListener("resize", measureBar);
  document.addEventListener("focusin", keepClearOfBar);

  // The measured values: sent only with a value, in this order (as the server's links).
  var MEASURED = ["vegf", "vegf_specimen", "vegf_uln"];
  var TYPED = ["vegf", "vegf_uln"];
  var form = document.getElementById("checklist-form");
  if (!form || !window.fetch || !window.URLSearchParams || !window.history.replaceState) {
    return;
  }
  var status = document.getElementById("result-status");
  var pending = null;
  var timer = null;

  function canonicalQuery() {
    var params = new URLSearchParams();
    var data = new FormData(form);
    data.forEach(function (value, key) {
      if (MEASURED.indexOf(key) !== -1) { return; }
      if (value && value !== "unknown") { params.append(key, value); }
    });
    var vegf = String(data.get("vegf") || "").trim();
    if (vegf) {
      params.append("vegf", vegf);
      var specimen = data.get("vegf_specimen");
      if (specimen) { params.append("vegf_specimen", specimen); }
      var uln = String(data.get("vegf_uln") || "").trim();
      if (uln) { params.append("vegf_uln", uln); }
    }
    return params.toString();
  }

  function updateLinks(query, code) {
    document.querySelectorAll(".lang-switch a").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      url.search = query;
      link.href = url.toString();
    });
    if (!code) { return; }
    document.querySelectorAll("a.finding__more").forEach(function (link) {
      var url = new URL(link.href, window.location.href);
      url.searchParams.set("from", code);
      link.href = url.toString();
    });
  }

  // What a screen reader hears after each change: every set's name and outcome.
  function announcement(panel) {
    var parts = [];
    panel.querySelectorAll(".set-result").forEach(function (set) {
      var name = set.querySelector("h3");
      var outcome = set.querySelector(".outcome strong");
      var grade = set.querySelector(".outcome__grade");
      if (name && outcome) {
        parts.push(name.textContent.trim() + ": " + outcome.textContent.trim()
          + (grade ? " · " + grade.textContent.trim() : ""));
      }
    });
    return parts.join(". ");
  }

  function update() {
    var query = canonicalQuery();
    var url = form.getAttribute("action") + (query ? "?" + query : "");
    // The address and the language links follow the answers at once, not when the
    // result arrives: a reload, a bookmark or a language switch made while the result
    // is on its way (a slow network) must not lose the latest answer.
    window.history.replaceState(null, "", url);
    updateLinks(query, "");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    var panel = document.getElementById("result");
    panel.setAttribute("aria-busy", "true");
    fetch(url, {
      headers: { "X-Checklist-Fragment": "result" },
      credentials: "same-origin",
      signal: pending.signal
    }).then(function (response) {
      var code = response.headers.get("X-Checklist-Fragment-Code") || "";
      return response.text().then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html.trim();
        var fresh = template.content.getElementById("result");
        if (!fresh) { return; }
        panel.replaceWith(fresh);
        upgradeCopyNote(fresh);
        measureBar();
        updateLinks(query, code);
        if (status) { status.textContent = announcement(fresh); }
      });
    }).catch(function (error) {
      if (error.name !== "AbortError") { panel.removeAttribute("aria-busy"); }
    });
  }

  form.addEventListener("change", function (event) {
    if (TYPED.indexOf(event.target.name) !== -1) { return; }
    window.clearTimeout(timer);
    update();
  });
  form.addEventListener("input", function (event) {
    if (TYPED.indexOf(event.target.name) === -1) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 400);
  });
  document.documentElement.classList.add("js-live");
})();
