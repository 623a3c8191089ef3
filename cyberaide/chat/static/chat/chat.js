// The 17Cyber conversation, live. Used by the victim's page and the agent's page.
// Every message is stored by the server before anyone sees it and numbered (seq) without gaps: this page keeps the
// last number it showed, asks for what follows whenever it (re)connects or notices a gap, and sends each message
// with an identifier of its own, so that sending again after a cut never stores it twice.
// Without WebSocket it polls the same data over HTTP; without JavaScript the page is a plain form.
(function () {
  "use strict";
  var chat = document.getElementById("chat");
  if (!chat || !window.fetch || !window.JSON || !window.crypto) return;
  var list = document.getElementById("chat-messages");
  var form = document.getElementById("chat-form");
  var textarea = form ? form.querySelector("textarea") : null;
  var statusBox = document.getElementById("chat-status");
  var statusText = document.getElementById("chat-status-text");
  var announcer = document.getElementById("chat-live");
  var viewer = chat.getAttribute("data-viewer");
  var pollUrl = chat.getAttribute("data-poll-url");
  var wsUrl = chat.getAttribute("data-ws-url");
  var lastSeq = parseInt(chat.getAttribute("data-last-seq"), 10) || 0;
  var status = statusBox ? statusBox.getAttribute("data-status") : "";
  var pending = {};
  var pendingOrder = [];
  var socket = null;
  var failures = 0;
  var retryDelay = 1000;
  var pollTimer = null;
  var stopped = false;

  function newId() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function authorLabel(m) {
    if (m.author === "system") return "Information";
    if (m.author === viewer) return "Vous";
    if (m.author === "agent") return m.name || "Agent";
    return "Victime";
  }

  function element(m, note) {
    var li = document.createElement("li");
    li.className = "cy-chat__message cy-chat__message--" + m.author + (m.author === viewer ? " cy-chat__message--mine" : "");
    var meta = document.createElement("p");
    meta.className = "cy-chat__meta";
    var who = document.createElement("span");
    who.className = "cy-chat__author";
    who.textContent = authorLabel(m);
    meta.appendChild(who);
    meta.appendChild(document.createTextNode(" "));
    if (m.at) {
      var time = document.createElement("time");
      time.setAttribute("datetime", m.at);
      time.textContent = new Date(m.at).toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" });
      meta.appendChild(time);
    }
    if (note) {
      var hint = document.createElement("span");
      hint.className = "cy-chat__pending";
      hint.textContent = note;
      meta.appendChild(hint);
    }
    var body = document.createElement("p");
    body.className = "cy-chat__body";
    m.body.split("\n").forEach(function (line, index) {
      if (index) body.appendChild(document.createElement("br"));
      body.appendChild(document.createTextNode(line));
    });
    li.appendChild(meta);
    li.appendChild(body);
    if (m.seq) {
      li.id = "message-" + m.seq;
      li.setAttribute("data-seq", m.seq);
    }
    return li;
  }

  function firstPendingElement() {
    for (var i = 0; i < pendingOrder.length; i++) {
      if (pending[pendingOrder[i]]) return pending[pendingOrder[i]].element;
    }
    return null;
  }

  function forget(clientId) {
    if (!pending[clientId]) return;
    if (pending[clientId].element.parentNode) pending[clientId].element.parentNode.removeChild(pending[clientId].element);
    delete pending[clientId];
    pendingOrder = pendingOrder.filter(function (id) { return id !== clientId; });
  }

  function show(m) {
    if (m.seq <= lastSeq || document.getElementById("message-" + m.seq)) return;
    if (m.seq > lastSeq + 1) { resume(); return; } // a message was missed: fetch everything after the last one shown
    forget(m.client_id);
    list.insertBefore(element(m), firstPendingElement());
    lastSeq = m.seq;
    list.lastElementChild.scrollIntoView({ block: "nearest" });
  }

  function say(text) {
    if (announcer) announcer.textContent = text;
  }

  function setStatus(s) {
    if (!s) return;
    if (statusText && s.text) statusText.textContent = s.text;
    var lostHold = viewer === "agent" && s.holder === false;
    if (stopped) return;
    if ((s.status === "closed" && status !== "closed") || lostHold) {
      stopped = true;
      window.location.reload(); // the page shows the outcome, the transcript and what to do next
      return;
    }
    status = s.status; // the status box is itself a live region: screen readers hear the change once
  }

  function applySync(data) {
    (data.messages || []).forEach(show);
    setStatus(data.status);
  }

  function showError(message) {
    var box = document.getElementById("chat-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "chat-error";
      box.className = "fr-error-text";
      box.setAttribute("role", "alert");
      form.insertBefore(box, form.firstChild.nextSibling);
    }
    box.textContent = message;
  }

  function clearError() {
    var box = document.getElementById("chat-error");
    if (box) box.parentNode.removeChild(box);
  }

  function refused(clientId, message, code) {
    var item = pending[clientId];
    if (item && code === "rate_limited") {
      // Not stored yet: kept, and sent again in a moment with the same identifier.
      showError(message);
      window.setTimeout(function () { transmit(clientId); }, 3000);
      return;
    }
    if (item && textarea && !textarea.value) textarea.value = item.body; // give the text back to be corrected
    forget(clientId);
    showError(message);
  }

  function csrfToken() {
    var input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function transmit(clientId) {
    var item = pending[clientId];
    if (!item) return;
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: "message", client_id: clientId, body: item.body }));
      return;
    }
    if (!pollTimer) return; // not connected: sent again as soon as the connection is back
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    data.append("client_id", clientId);
    data.append("body", item.body);
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      if (!json && response.status >= 400 && response.status < 500) {
        return { ok: false, json: { message: "Envoi refusé : rechargez la page, votre message sera à renvoyer." } };
      }
      return response.json().then(function (data) { return { ok: response.ok, json: data }; });
    }).then(function (answer) {
      if (answer.ok) acknowledged(answer.json); else refused(clientId, answer.json.message, answer.json.code);
    }).catch(function () { /* kept pending: the next poll sends it again */ });
  }

  function acknowledged(ack) {
    if (pending[ack.client_id]) pending[ack.client_id].acked = true;
    // The message itself normally follows its acknowledgement; ask for it only if it does not come.
    window.setTimeout(function () { if (ack.seq > lastSeq) resume(); }, 1500);
  }

  function resume() {
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify({ type: "resume", after: lastSeq }));
    } else if (pollTimer) {
      poll();
    }
  }

  function poll() {
    fetch(pollUrl + "?apres=" + lastSeq, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 403 || response.status === 404 || response.status === 410) {
          stopped = true;
          stopPolling();
          say("Cette discussion n'est plus accessible depuis cette page : rechargez-la.");
        }
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(applySync)
      .catch(function () { /* try again at the next tick */ });
    pendingOrder.forEach(function (id) { if (pending[id] && !pending[id].acked) transmit(id); });
  }

  function startPolling() {
    if (!pollTimer) {
      pollTimer = window.setInterval(poll, 3000);
      poll();
    }
  }

  function stopPolling() {
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    if (stopped) return;
    if (!window.WebSocket) { startPolling(); return; }
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + wsUrl);
    socket.onopen = function () {
      failures = 0;
      retryDelay = 1000;
      stopPolling();
      socket.send(JSON.stringify({ type: "resume", after: lastSeq }));
      pendingOrder.forEach(transmit); // the same identifiers: the server keeps each message once
    };
    socket.onmessage = function (event) {
      var data = JSON.parse(event.data);
      if (data.type === "sync") applySync(data);
      else if (data.type === "message") show(data.message);
      else if (data.type === "status") setStatus(data.status);
      else if (data.type === "ack") acknowledged(data);
      else if (data.type === "error") {
        if (data.client_id) refused(data.client_id, data.message, data.code); else say(data.message);
      }
    };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 4403) { startPolling(); return; }
      failures += 1;
      if (failures >= 3) startPolling(); // keep talking over HTTP while trying again, less often
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    };
  }

  if (form && textarea) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = textarea.value.trim();
      if (!body) { showError("Votre message est vide : écrivez quelque chose avant d'envoyer."); textarea.focus(); return; }
      clearError();
      var clientId = newId();
      var item = { body: body, acked: false };
      item.element = element({ author: viewer, body: body, at: new Date().toISOString() }, " · envoi en cours…");
      pending[clientId] = item;
      pendingOrder.push(clientId);
      list.appendChild(item.element);
      textarea.value = "";
      textarea.focus();
      transmit(clientId);
    });
    var hint = document.createElement("p");
    hint.className = "fr-hint-text fr-mt-1w";
    hint.id = "chat-keys";
    hint.textContent = "Entrée envoie le message ; Maj + Entrée va à la ligne.";
    textarea.parentNode.appendChild(hint);
    textarea.setAttribute("aria-describedby", ((textarea.getAttribute("aria-describedby") || "") + " chat-keys").trim());
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
  }

  var cannedInsert = document.getElementById("canned-insert");
  var canned = document.getElementById("canned");
  if (cannedInsert && canned && textarea) {
    cannedInsert.hidden = false;
    cannedInsert.addEventListener("click", function () {
      textarea.value = canned.options[canned.selectedIndex].getAttribute("data-body");
      textarea.focus();
    });
  }

  // A form being sent (closing, transferring, leaving, a canned answer) must not be cut short by a reload.
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (other) {
    if (other !== form) other.addEventListener("submit", function () { stopped = true; });
  });

  // Also catches a last message the notification layer dropped.
  window.setInterval(function () { if (socket && socket.readyState === 1) resume(); }, 25000);
  if (status !== "closed") connect();
})();
