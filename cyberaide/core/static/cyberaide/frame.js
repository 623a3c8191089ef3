// Inside a partner's frame: tell the embedding page how tall the content is, and nothing else.
(function () {
  "use strict";
  if (window.parent === window) return;
  function tell() {
    window.parent.postMessage({ type: "cyberaide:height", height: document.documentElement.scrollHeight }, "*");
  }
  window.addEventListener("load", tell);
  if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);
})();
