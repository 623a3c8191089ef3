// The service worker: keeps the list up to date and, before a page opens, checks its address; when it is listed,
// the tab shows the warning page instead (a warning, not a block: the user may go on).

import { API_BASE_KEY, getApiBase } from "./config.js";
import { canonicalUrl, urlExpressions } from "./canonical.js";
import { expressionHash, expressionHashes } from "./hashing.js";
import { abortRefreshesExcept, DEFAULT_WAIT_SECONDS, listPrefixes, listStatus, refreshList } from "./list.js";
import { checkUrl } from "./lookup.js";
import { isAllowed } from "./session.js";

const REFRESH_ALARM = "cyberaide-list-refresh";
const RETRY_MINUTES = 5;
// A tab being sent to the warning page: the commit of the listed page it was opening, if it happens before the
// redirection, needs no second redirection.
const REDIRECT_WINDOW_MS = 10000;

const redirecting = new Map(); // tabId -> {url, warningUrl, at}

async function scheduleRefresh(minutes) {
  const period = Math.max(1, minutes);
  const existing = await chrome.alarms.get(REFRESH_ALARM);
  if (!existing || existing.periodInMinutes !== period) {
    await chrome.alarms.create(REFRESH_ALARM, { delayInMinutes: period, periodInMinutes: period });
  }
}

/** Download the changes of the list, then come back after the delay the server asks for. */
async function refreshAndSchedule() {
  try {
    const status = await refreshList();
    await scheduleRefresh(Math.ceil((status.waitSeconds || DEFAULT_WAIT_SECONDS) / 60));
    return status;
  } catch (error) {
    if (error.name !== "AbortError") {
      console.warn("Cyberaide: the list could not be updated:", error);
      await scheduleRefresh(RETRY_MINUTES);
    }
    throw error;
  }
}

function refreshInBackground() {
  refreshAndSchedule().catch(() => {});
}

export function warningPageUrl(verdict) {
  const params = new URLSearchParams({
    url: verdict.url,
    site: verdict.scheme + "://" + verdict.expression,
    hash: verdict.match.hash,
    reason: verdict.match.reason,
    category: verdict.match.category_label,
    code: verdict.match.category,
  });
  return chrome.runtime.getURL("warning.html") + "?" + params.toString();
}

function isMainFrame(details) {
  return details.frameId === 0 && details.tabId >= 0 && details.documentLifecycle !== "prerender";
}

async function checkNavigation(details) {
  if (!/^https?:/i.test(details.url)) {
    return;
  }
  let verdict;
  try {
    verdict = await checkUrl(details.url);
  } catch (error) {
    // The server could not confirm a local match: let the page open rather than warn without a reason.
    console.warn("Cyberaide: the address could not be checked:", error);
    return;
  }
  if (!verdict || (await isAllowed(verdict.match.hash))) {
    return;
  }
  const warningUrl = warningPageUrl(verdict);
  redirecting.set(details.tabId, { url: details.url, warningUrl, at: Date.now() });
  try {
    await chrome.tabs.update(details.tabId, { url: warningUrl });
  } catch (error) {
    redirecting.delete(details.tabId);
    console.warn("Cyberaide: the warning could not be shown:", error);
  }
}

function onBeforeNavigate(details) {
  if (isMainFrame(details)) {
    checkNavigation(details);
  }
}

// Checked again when a page commits: a server-side redirect (a shortened link) to a listed site is only seen then.
function onCommitted(details) {
  if (!isMainFrame(details)) {
    return;
  }
  const redirect = redirecting.get(details.tabId);
  if (redirect && Date.now() - redirect.at < REDIRECT_WINDOW_MS) {
    if (details.url === redirect.warningUrl) {
      redirecting.delete(details.tabId);
      return;
    }
    if (details.url === redirect.url) {
      // The listed page committed before the redirection took over: the warning page is on its way.
      return;
    }
  }
  checkNavigation(details);
}

chrome.runtime.onInstalled.addListener(refreshInBackground);
chrome.runtime.onStartup.addListener(refreshInBackground);

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === REFRESH_ALARM) {
    refreshInBackground();
  }
});

chrome.storage.onChanged.addListener(async (changes, area) => {
  if (area === "local" && API_BASE_KEY in changes) {
    // Another server: its list replaces the old one (cached answers are kept per server).
    abortRefreshesExcept(await getApiBase());
    refreshInBackground();
  }
});

chrome.webNavigation.onBeforeNavigate.addListener(onBeforeNavigate);
chrome.webNavigation.onCommitted.addListener(onCommitted);
chrome.tabs.onRemoved.addListener((tabId) => redirecting.delete(tabId));

// The options page asks for the state of the list and for an update.
chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id || !message) {
    return false;
  }
  if (message.type === "list-status") {
    listStatus().then(sendResponse);
    return true;
  }
  if (message.type === "refresh-list") {
    refreshAndSchedule().then(
      (status) => sendResponse({ ok: true, status }),
      (error) => sendResponse({ ok: false, error: String(error) }),
    );
    return true;
  }
  return false;
});

// For the browser test (tests/browser/test_extension.py), which evaluates code in this worker.
globalThis.cyberaide = {
  canonicalUrl,
  urlExpressions,
  expressionHash,
  expressionHashes,
  checkUrl,
  refreshList: refreshAndSchedule,
  listStatus,
  listPrefixes,
};
