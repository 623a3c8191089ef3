// The local list: the 4-byte prefixes of the hashes of every listed expression, downloaded from
// {apiBase}/api/v1/filter/list and kept up to date with the changes since the version we hold.
//
// In memory: a sorted Uint32Array (4 bytes a prefix, binary search). In chrome.storage.local: the same bytes in
// base64, with the version and the server they came from.

import { getApiBase } from "./config.js";
import { bytesToPrefixes, listChecksum, PREFIX_PATTERN, prefixBytes, prefixHex } from "./hashing.js";

const STORAGE_KEYS = ["listApiBase", "listVersion", "listPrefixes", "listUpdatedAt", "listWaitSeconds"];
const REQUEST_TIMEOUT_MS = 30000;
export const DEFAULT_WAIT_SECONDS = 1800;

let memory = null; // {apiBase, version, prefixes: Uint32Array, updatedAt, waitSeconds}
let queue = Promise.resolve();
let inflight = null; // {apiBase, controller}

function toBase64(bytes) {
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text) {
  const binary = atob(text || "");
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) {
    bytes[index] = binary.charCodeAt(index);
  }
  return bytes;
}

/** The list as last stored (empty before the first download). */
export async function loadList() {
  if (!memory) {
    const stored = await chrome.storage.local.get(STORAGE_KEYS);
    memory = {
      apiBase: stored.listApiBase || null,
      version: stored.listVersion || 0,
      prefixes: bytesToPrefixes(fromBase64(stored.listPrefixes)),
      updatedAt: stored.listUpdatedAt || null,
      waitSeconds: stored.listWaitSeconds || DEFAULT_WAIT_SECONDS,
    };
  }
  return memory;
}

/** Whether the sorted `prefixes` hold `number` (binary search). */
export function hasPrefix(prefixes, number) {
  let low = 0;
  let high = prefixes.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = prefixes[middle];
    if (value === number) {
      return true;
    }
    if (value < number) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return false;
}

function sortedDistinct(numbers) {
  numbers.sort();
  let length = 0;
  for (let index = 0; index < numbers.length; index += 1) {
    if (index === 0 || numbers[index] !== numbers[index - 1]) {
      numbers[length] = numbers[index];
      length += 1;
    }
  }
  return numbers.slice(0, length);
}

function parsePrefixes(values) {
  if (!Array.isArray(values)) {
    throw new Error("malformed list: prefixes are not an array");
  }
  return Uint32Array.from(values, (value) => {
    const text = String(value).toLowerCase();
    if (!PREFIX_PATTERN.test(text)) {
      throw new Error(`malformed list: ${JSON.stringify(value)} is not a 4-byte prefix`);
    }
    return parseInt(text, 16) >>> 0;
  });
}

/** The prefixes after applying one answer of the server to `current`. */
export function applyUpdate(current, update) {
  const additions = parsePrefixes(update.additions);
  if (update.full) {
    return sortedDistinct(additions);
  }
  const removals = new Set(parsePrefixes(update.removals));
  const kept = current.filter((number) => !removals.has(number));
  const merged = new Uint32Array(kept.length + additions.length);
  merged.set(kept);
  merged.set(additions, kept.length);
  return sortedDistinct(merged);
}

async function fetchUpdate(apiBase, since, signal) {
  // A simple GET without custom headers or credentials: no CORS preflight; the server allows any origin.
  const response = await fetch(`${apiBase}/api/v1/filter/list?since=${since}`, {
    credentials: "omit",
    referrerPolicy: "no-referrer",
    cache: "no-cache",
    signal,
  });
  if (!response.ok) {
    throw new Error(`list download failed: HTTP ${response.status}`);
  }
  const update = await response.json();
  if (!Number.isSafeInteger(update.version) || typeof update.checksum !== "string") {
    throw new Error("malformed list answer");
  }
  return update;
}

async function download(signal) {
  const apiBase = await getApiBase();
  const current = await loadList();
  const sameServer = current.apiBase === apiBase;
  let since = sameServer ? current.version : 0;
  let update = await fetchUpdate(apiBase, since, signal);
  let prefixes = applyUpdate(sameServer ? current.prefixes : new Uint32Array(0), update);
  let verified = (await listChecksum(prefixes)) === update.checksum.toLowerCase();
  if (!verified && since !== 0) {
    // We missed or misapplied a change: start again from the whole list.
    since = 0;
    update = await fetchUpdate(apiBase, 0, signal);
    prefixes = applyUpdate(new Uint32Array(0), update);
    verified = (await listChecksum(prefixes)) === update.checksum.toLowerCase();
  }
  if (!verified) {
    // Better a list than none; version 0 makes the next refresh download the whole list again.
    console.warn("Cyberaide: the checksum of the whole list does not match; it will be downloaded again.");
  }
  if ((await getApiBase()) !== apiBase) {
    throw new DOMException("the server changed during the download", "AbortError");
  }
  const waitSeconds = Math.max(60, Number(update.minimum_wait_seconds) || DEFAULT_WAIT_SECONDS);
  memory = {
    apiBase,
    version: verified ? update.version : 0,
    prefixes,
    updatedAt: new Date().toISOString(),
    waitSeconds,
  };
  await chrome.storage.local.set({
    listApiBase: memory.apiBase,
    listVersion: memory.version,
    listPrefixes: toBase64(prefixBytes(prefixes)),
    listUpdatedAt: memory.updatedAt,
    listWaitSeconds: waitSeconds,
  });
  return listStatus();
}

/** Download the list or its changes; one download at a time. Resolves with listStatus(). */
export async function refreshList() {
  const apiBase = await getApiBase();
  abortRefreshesExcept(apiBase);
  const run = queue.then(async () => {
    const controller = new AbortController();
    inflight = { apiBase, controller };
    try {
      return await download(AbortSignal.any([controller.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]));
    } finally {
      inflight = null;
    }
  });
  queue = run.catch(() => {});
  return run;
}

/** Stop a download from a server that is no longer the configured one. */
export function abortRefreshesExcept(apiBase) {
  if (inflight && inflight.apiBase !== apiBase) {
    inflight.controller.abort();
  }
}

/** What the options page and the tests show: version, size, server, last update. */
export async function listStatus() {
  const list = await loadList();
  return {
    apiBase: list.apiBase,
    version: list.version,
    size: list.prefixes.length,
    updatedAt: list.updatedAt,
    waitSeconds: list.waitSeconds,
  };
}

/** The prefixes in hexadecimal (for the tests). */
export async function listPrefixes() {
  return Array.from((await loadList()).prefixes, prefixHex);
}
