// Live results: server-sent events, or a poll every 5 s where they are not available.
// When the count moves on, the dashboard reloads itself (it is small and server-rendered).
(function () {
  var live = document.getElementById("live");
  if (!live) return;
  var seq = Number(live.dataset.seq);
  function moved(next) {
    if (next !== seq) { seq = next; window.location.reload(); }
  }
  function poll() {
    fetch("/api/live/poll?since=" + seq, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) { moved(body.seq); })
      .catch(function () {})
      .finally(function () { setTimeout(poll, 5000); });
  }
  if (window.EventSource) {
    var source = new EventSource("/api/live/events");
    source.addEventListener("update", function (e) { moved(JSON.parse(e.data).seq); });
    source.onerror = function () { source.close(); poll(); };
  } else {
    poll();
  }
})();
