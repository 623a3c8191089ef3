// Where the extension asks for the list. An administrator changes it in the options page (stored in
// chrome.storage.local under "apiBase"); this is the value until then.
export const DEFAULT_API_BASE = "https://cyberaide.example";

export const API_BASE_KEY = "apiBase";

/**
 * The server's base address without a trailing slash ("https://cyberaide.example", or with a path prefix
 * "https://example.org/cyberaide"), or null when `value` is not an http(s) address.
 */
export function normaliseApiBase(value) {
  if (typeof value !== "string" || !value.trim()) {
    return null;
  }
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return null;
  }
  if (url.username || url.password) {
    return null;
  }
  return (url.origin + url.pathname).replace(/\/+$/, "");
}

/** Loopback servers (a developer's machine, the tests) may use plain http; any other server must use https. */
export function isAcceptableApiBase(value) {
  const base = normaliseApiBase(value);
  if (!base) {
    return false;
  }
  const url = new URL(base);
  return url.protocol === "https:" || ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

export async function getApiBase() {
  const stored = await chrome.storage.local.get(API_BASE_KEY);
  return normaliseApiBase(stored[API_BASE_KEY]) || DEFAULT_API_BASE;
}
