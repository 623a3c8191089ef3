// Is this address listed? Hash its expressions, compare the prefixes with the local list, and only when one is in
// it ask the server for the full hashes sharing that prefix (the prefixes are all it learns). Answers are cached,
// positive and negative, per prefix, for the time the server allows.

import { canonicalUrl, urlExpressions } from "./canonical.js";
import { expressionHashes, FULL_HASH_PATTERN, prefixNumber } from "./hashing.js";
import { hasPrefix, loadList } from "./list.js";

const CACHE_KEY = "matchCache";
const MAX_PREFIXES_PER_REQUEST = 30;
const MAX_CACHE_SECONDS = 86400;
const REQUEST_TIMEOUT_MS = 10000;

let cache = null; // Map "apiBase prefix" -> {expiresAt, matches}

async function loadCache() {
  if (!cache) {
    const stored = await chrome.storage.session.get(CACHE_KEY);
    cache = new Map(Object.entries(stored[CACHE_KEY] || {}));
  }
  return cache;
}

async function saveCache() {
  const now = Date.now();
  for (const [key, entry] of cache) {
    if (entry.expiresAt <= now) {
      cache.delete(key);
    }
  }
  await chrome.storage.session.set({ [CACHE_KEY]: Object.fromEntries(cache) });
}

function cleanMatch(match) {
  if (!match || typeof match.hash !== "string" || !FULL_HASH_PATTERN.test(match.hash.toLowerCase())) {
    return null;
  }
  const text = (value) => (typeof value === "string" ? value.slice(0, 500) : "");
  return {
    hash: match.hash.toLowerCase(),
    category: text(match.category),
    category_label: text(match.category_label),
    reason: text(match.reason),
    listed_at: text(match.listed_at),
    expires_at: text(match.expires_at),
  };
}

async function requestFullHashes(apiBase, prefixes) {
  const query = prefixes.map((prefix) => `prefix=${prefix}`).join("&");
  const response = await fetch(`${apiBase}/api/v1/filter/matches?${query}`, {
    credentials: "omit",
    referrerPolicy: "no-referrer",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  if (!response.ok) {
    throw new Error(`full hash lookup failed: HTTP ${response.status}`);
  }
  const data = await response.json();
  const matches = (Array.isArray(data.matches) ? data.matches : []).map(cleanMatch).filter(Boolean);
  const seconds = Math.min(Math.max(Number(data.cache_seconds) || 0, 0), MAX_CACHE_SECONDS);
  return { matches, seconds };
}

const pending = new Map(); // "apiBase prefix" -> promise of the matches, while a request is on its way

async function requestBatch(apiBase, batch) {
  const { matches, seconds } = await requestFullHashes(apiBase, batch);
  const entries = await loadCache();
  const now = Date.now();
  const found = new Map();
  for (const prefix of batch) {
    const forPrefix = matches.filter((match) => match.hash.startsWith(prefix));
    found.set(prefix, forPrefix);
    if (seconds > 0) {
      entries.set(`${apiBase} ${prefix}`, { expiresAt: now + seconds * 1000, matches: forPrefix });
    }
  }
  await saveCache();
  return found;
}

/** The full-hash matches for each prefix (hex), from the cache or from the server: Map prefix -> matches. */
export async function fullHashMatches(apiBase, prefixes) {
  const entries = await loadCache();
  const now = Date.now();
  const waiting = new Map();
  const missing = [];
  for (const prefix of prefixes) {
    const key = `${apiBase} ${prefix}`;
    const entry = entries.get(key);
    if (entry && entry.expiresAt > now) {
      waiting.set(prefix, Promise.resolve(entry.matches));
    } else if (pending.has(key)) {
      // The same prefix is being asked for (onBeforeNavigate, then onCommitted): one request is enough.
      waiting.set(prefix, pending.get(key));
    } else {
      missing.push(prefix);
    }
  }
  for (let start = 0; start < missing.length; start += MAX_PREFIXES_PER_REQUEST) {
    const batch = missing.slice(start, start + MAX_PREFIXES_PER_REQUEST);
    const request = requestBatch(apiBase, batch);
    for (const prefix of batch) {
      const key = `${apiBase} ${prefix}`;
      const promise = request.then((found) => found.get(prefix));
      promise.catch(() => {}); // awaited below; this only keeps an early failure from being reported twice
      pending.set(key, promise);
      waiting.set(prefix, promise);
      request.catch(() => {}).finally(() => pending.delete(key));
    }
  }
  const found = new Map();
  for (const [prefix, promise] of waiting) {
    found.set(prefix, await promise);
  }
  return found;
}

/**
 * Whether `url` is listed: null when it is not (or cannot be read), otherwise
 * {url, canonical, expression, match} for the most specific listed expression of the address.
 * Throws when the server could not be asked.
 */
export async function checkUrl(url) {
  const canonical = canonicalUrl(url);
  if (!canonical || (canonical.scheme !== "http" && canonical.scheme !== "https")) {
    return null;
  }
  const expressions = urlExpressions(canonical);
  const hashes = await expressionHashes(expressions);
  const list = await loadList();
  const candidates = [];
  hashes.forEach((hash, index) => {
    if (hasPrefix(list.prefixes, prefixNumber(hash))) {
      candidates.push(index);
    }
  });
  if (!candidates.length || !list.apiBase) {
    return null;
  }
  const prefixes = [...new Set(candidates.map((index) => hashes[index].slice(0, 8)))];
  const matches = await fullHashMatches(list.apiBase, prefixes);
  for (const index of candidates) {
    const match = (matches.get(hashes[index].slice(0, 8)) || []).find((item) => item.hash === hashes[index]);
    if (match) {
      return { url, canonical: canonical.url, scheme: canonical.scheme, expression: expressions[index], match };
    }
  }
  return null;
}
