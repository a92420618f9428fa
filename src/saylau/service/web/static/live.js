// Live results. The dashboard listens to server-sent events (/api/live/events), or polls
// /api/live/poll every 5 s where they are not available. When the count moves on, it
// fetches the fragment of the figures (/dashboard/decided), at most once a second, and
// swaps it in; the page itself is never reloaded. Every figure that changed since the
// reader last looked (on this page, or on an earlier visit: kept in localStorage) is
// highlighted for a few seconds, and the time of the last update is shown in local time
// (and told to a screen reader, politely, after each update).
(function () {
  "use strict";
  var live = document.getElementById("live");
  var box = document.getElementById("decided");
  if (!live || !box) return;
  var seq = Number(live.dataset.seq);
  var fetching = false, again = false;
  var KEY = "saylau-seen:" + location.pathname;
  var HIGHLIGHT = 6000;

  function figures() {
    var found = {};
    box.querySelectorAll("[data-live]").forEach(function (el) {
      found[el.dataset.live] = el.textContent.replace(/\s+/g, " ").trim();
    });
    return found;
  }

  function remembered() {
    try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }

  function remember(found) {
    try { localStorage.setItem(KEY, JSON.stringify(found)); } catch (e) { /* private mode */ }
  }

  function highlight(before) {
    var now = figures();
    if (before) {
      box.querySelectorAll("[data-live]").forEach(function (el) {
        var key = el.dataset.live;
        if (key in before && before[key] !== now[key]) {
          el.classList.add("changed");
          setTimeout(function () { el.classList.remove("changed"); }, HIGHLIGHT);
        }
      });
    }
    remember(now);
  }

  function localTime() {
    var time = document.getElementById("updated");
    if (!time || !time.getAttribute("datetime")) return;
    var when = new Date(time.getAttribute("datetime"));
    if (isNaN(when)) return;
    var lang = document.documentElement.lang || undefined;
    // A browser without the language's calendar data names months as CLDR's root does
    // ("M12"): the server's text, written in the language (UTC), is kept then.
    if (/^M\d{1,2}$/.test(when.toLocaleString(lang, { month: "short" }))) return;
    time.textContent = when.toLocaleString(lang, {
      year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short"
    });
  }

  function refresh() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch("/dashboard/decided", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var before = figures();
        box.innerHTML = html;
        localTime();
        highlight(before);
        var fresh = document.getElementById("freshness");
        var announce = document.getElementById("announce");
        if (fresh && announce) announce.textContent = fresh.textContent;
      })
      .catch(function () {})
      .finally(function () {
        setTimeout(function () {
          fetching = false;
          if (again) { again = false; refresh(); }
        }, 1000);
      });
  }

  function update(state) {
    if (state.seq === seq) return;
    seq = state.seq;
    live.dataset.seq = String(seq);
    refresh();
  }

  function poll() {
    fetch("/api/live/poll?since=" + seq, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(update)
      .catch(function () {})
      .finally(function () { setTimeout(poll, 5000); });
  }

  localTime();
  highlight(remembered());
  if (window.EventSource) {
    var source = new EventSource("/api/live/events");
    source.addEventListener("update", function (e) { update(JSON.parse(e.data)); });
    source.onerror = function () { source.close(); poll(); };
  } else {
    poll();
  }
})();
