// The warning page: what was listed and why, then the user's choice. Everything comes from the page's own query
// (written by the service worker); nothing is fetched.

import { getApiBase } from "./config.js";
import { hostToUnicode } from "./punycode.js";
import { allowForSession } from "./session.js";

const MAX_SHOWN_ADDRESS = 300;

const params = new URLSearchParams(location.search);

function webUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

function shorten(text) {
  return text.length > MAX_SHOWN_ADDRESS ? text.slice(0, MAX_SHOWN_ADDRESS - 1) + "…" : text;
}

function setText(id, value) {
  if (value) {
    document.getElementById(id).textContent = value;
  }
}

const target = webUrl(params.get("url"));
const fullHash = params.get("hash") || "";

if (target) {
  const unicodeHost = hostToUnicode(target.hostname);
  setText("site-name", unicodeHost);
  // The address as the user reads it: the host in Unicode, the rest as the browser wrote it.
  const rest = target.href.slice(target.origin.length);
  setText("address", shorten(`${target.protocol}//${unicodeHost}${target.port ? ":" + target.port : ""}${rest}`));
  if (unicodeHost !== target.hostname) {
    setText("technical-host", target.hostname);
    document.getElementById("technical-row").hidden = false;
  }
  document.title = `Attention : ${unicodeHost} est signalé comme une arnaque — Cyberaide`;
}
setText("reason", params.get("reason"));
setText("category", params.get("category"));

const proceed = document.getElementById("proceed");
if (!target || !/^[0-9a-f]{64}$/.test(fullHash)) {
  proceed.hidden = true;
  document.getElementById("proceed-hint").hidden = true;
}

proceed.addEventListener("click", async () => {
  proceed.disabled = true;
  await allowForSession(fullHash);
  location.replace(target.href);
});

document.getElementById("go-back").addEventListener("click", async () => {
  // A new tab page rather than "back": the previous page may be the scam itself or the link that led to it.
  try {
    const tab = await chrome.tabs.getCurrent();
    if (tab) {
      await chrome.tabs.update(tab.id, { url: "chrome://newtab/" });
      return;
    }
  } catch {
    // Falls through to a blank page.
  }
  location.replace("about:blank");
});

getApiBase().then((apiBase) => {
  document.getElementById("checker-link").href = `${apiBase}/verifier/`;
  const contest = new URL(`${apiBase}/verifier/contester/`);
  const listed = webUrl(params.get("site"));
  // The listed site or page, never the full address the user was opening (it may hold personal details).
  if (listed || target) {
    contest.searchParams.set("adresse", listed ? listed.href : `${target.origin}/`);
  }
  document.getElementById("contest-link").href = contest.href;
});
