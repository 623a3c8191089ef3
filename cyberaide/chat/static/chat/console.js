// The agent's console: the server says "the queue, your conversations or who is online changed" over a
// WebSocket and the lists are fetched again over HTTP; a heartbeat keeps the agent counted as online. Without
// WebSocket the lists are fetched every 15 seconds; without JavaScript the page refreshes itself.
(function () {
  "use strict";
  var root = document.getElementById("console");
  if (!root || !window.fetch) return;
  var announcer = document.getElementById("console-live");
  var fragmentUrl = root.getAttribute("data-fragment-url");
  var onDuty = root.getAttribute("data-heartbeat") === "1";
  var socket = null;
  var pollTimer = null;
  var retryDelay = 1000;

  function queueCount() {
    var heading = document.getElementById("queue-title");
    return heading ? parseInt(heading.getAttribute("data-count"), 10) || 0 : 0;
  }

  function refresh() {
    var before = queueCount();
    fetch(fragmentUrl, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
      .then(function (html) {
        // Keep the keyboard focus where it was (on a "Prendre en charge" button, for instance).
        var focused = document.activeElement && root.contains(document.activeElement) ? document.activeElement : null;
        var focusedForm = focused && focused.form ? focused.form.getAttribute("action") : null;
        root.innerHTML = html;
        if (focusedForm) {
          var again = root.querySelector('form[action="' + focusedForm + '"] button');
          if (again) again.focus();
        }
        var after = queueCount();
        if (announcer && after > before) announcer.textContent = "Nouvelle personne en attente : " + after + " dans la file.";
      })
      .catch(function () { /* the next notification or poll tries again */ });
  }

  function startPolling() { if (!pollTimer) pollTimer = window.setInterval(refresh, 15000); }
  function stopPolling() { if (pollTimer) window.clearInterval(pollTimer); pollTimer = null; }

  function connect() {
    if (!window.WebSocket) { startPolling(); return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + root.getAttribute("data-ws-url"));
    socket.onopen = function () { retryDelay = 1000; stopPolling(); refresh(); };
    socket.onmessage = function (event) {
      if (JSON.parse(event.data).type === "console.changed") refresh();
    };
    socket.onclose = function () {
      socket = null;
      startPolling();
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }

  window.setInterval(function () {
    if (!onDuty) return;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "heartbeat" }));
  }, 30000);
  connect();
})();
