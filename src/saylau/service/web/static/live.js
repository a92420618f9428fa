// Live results. The dashboard listens to server-sent events (/api/live/events), or polls
// /api/live/poll every 5 s where they are not available. When the count moves on, it
// writes the new figures into the page where they stand (the audit entry, the national
// totals of every contest, protocols counted by territory) and fetches once, at most every
// 3 s, the fragment of what the count decides (tables, seat diagram, districts' standing).
// The page itself is never reloaded.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) return;
  var seq = Number(live.dataset.seq);
  var format = new Intl.NumberFormat("en-US");
  var fetching = false, again = false;

  function cell(tag, text, attrs) {
    var node = document.createElement(tag);
    node.textContent = text;
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    return node;
  }

  function totals(contests) {
    var body = document.querySelector("#nation-totals tbody");
    if (!body || !contests) return;
    var rows = contests.map(function (c) {
      var tr = document.createElement("tr");
      var votes = Object.keys(c.totals.votes).map(function (e) {
        return e + " " + format.format(c.totals.votes[e]);
      }).join("; ");
      tr.append(
        cell("th", c.contest_id, { scope: "row" }),
        cell("td", String(c.round)),
        cell("td", format.format(c.totals.protocols), { "class": "protocols" }),
        cell("td", c.totals.took_part == null ? "" : format.format(c.totals.took_part)),
        cell("td", votes)
      );
      return tr;
    });
    body.replaceChildren.apply(body, rows);
  }

  function territories(found) {
    (found || []).forEach(function (t) {
      var td = document.querySelector('#by-territory td[data-territory="' + t.territory_id + '"]');
      if (td) td.textContent = format.format(t.counted);
    });
  }

  function decided() {
    if (fetching) { again = true; return; }
    fetching = true;
    fetch("/dashboard/decided", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) { document.getElementById("decided").innerHTML = html; })
      .catch(function () {})
      .finally(function () {
        setTimeout(function () {
          fetching = false;
          if (again) { again = false; decided(); }
        }, 3000);
      });
  }

  function update(state) {
    if (state.seq === seq) return;
    seq = state.seq;
    live.dataset.seq = String(seq);
    live.textContent = "As the count stands at audit entry " + seq + ".";
    totals(state.contests);
    territories(state.protocols_by_territory);
    decided();
  }

  function poll() {
    fetch("/api/live/poll?since=" + seq, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(update)
      .catch(function () {})
      .finally(function () { setTimeout(poll, 5000); });
  }

  if (window.EventSource) {
    var source = new EventSource("/api/live/events");
    source.addEventListener("update", function (e) { update(JSON.parse(e.data)); });
    source.onerror = function () { source.close(); poll(); };
  } else {
    poll();
  }
})();
