/* Cyberaide — module 17Cyber, version 1.
   <script src="https://…/embed/v1.js" data-partner="VOTRE-CLÉ" async></script>
   Draws, where the snippet is, a frame with the diagnostic and the entry to the 17Cyber chat. It sets no cookie
   and reads nothing from the page; the frame only tells its height, so that no inner scroll bar is needed. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) return;
  var key = script.getAttribute("data-partner") || "";
  var origin = new URL(script.src).origin;
  var frame = document.createElement("iframe");
  frame.src = origin + "/module/" + encodeURIComponent(key) + "/";
  frame.title = "Victime de cybermalveillance ? Diagnostic et tchat 17Cyber (Cyberaide)";
  frame.setAttribute("referrerpolicy", "strict-origin");
  frame.style.width = "100%";
  frame.style.minHeight = "560px";
  frame.style.border = "1px solid #dddddd";
  var container = document.createElement("div");
  container.className = "cyberaide-module";
  container.appendChild(frame);
  script.parentNode.insertBefore(container, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (data && data.type === "cyberaide:height" && typeof data.height === "number") {
      frame.style.height = Math.max(560, Math.min(Math.ceil(data.height) + 4, 6000)) + "px";
    }
  });
})();
