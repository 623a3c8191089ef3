// Keeps the provider's list of requests up to date without reloading the page.
// The server only says "something changed" over a WebSocket; the list itself is fetched again over HTTP,
// so nothing is lost if a notification is. Without WebSocket, the list is fetched every 20 seconds.
(function () {
  "use strict";
  var container = document.getElementById("requests");
  if (!container || !window.fetch) return;
  var status = document.getElementById("live-status");
  var fragmentUrl = container.getAttribute("data-fragment-url");
  var socketPath = container.getAttribute("data-socket-path");
  var pollTimer = null;
  var retryDelay = 1000;

  function countNew(root) {
    return root.querySelectorAll(".fr-badge--new").length;
  }

  function refresh() {
    var before = countNew(container);
    fetch(fragmentUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        container.innerHTML = html;
        var after = countNew(container);
        if (status && after > before) {
          status.textContent = after - before === 1 ? "Nouvelle demande d'assistance reçue." : (after - before) + " nouvelles demandes d'assistance reçues.";
        }
      })
      .catch(function () { /* keep the current list; the next notification or poll will try again */ });
  }

  function startPolling() {
    if (!pollTimer) pollTimer = window.setInterval(refresh, 20000);
  }

  function stopPolling() {
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    if (!window.WebSocket) return startPolling();
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + socketPath);
    socket.onopen = function () {
      retryDelay = 1000;
      stopPolling();
      refresh(); // catch up with anything that changed while disconnected
    };
    socket.onmessage = refresh;
    socket.onclose = function () {
      startPolling();
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    };
  }

  startPolling();
  connect();
})();
