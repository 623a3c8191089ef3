// The sites the user chose to open despite the warning, for this browser session only (chrome.storage.session is
// emptied when the browser closes). Kept as the full hashes of the listed expressions they matched, not as
// addresses.

const ALLOWED_KEY = "allowedHashes";

export async function allowedHashes() {
  const stored = await chrome.storage.session.get(ALLOWED_KEY);
  return new Set(stored[ALLOWED_KEY] || []);
}

export async function isAllowed(fullHash) {
  return (await allowedHashes()).has(fullHash);
}

export async function allowForSession(fullHash) {
  const allowed = await allowedHashes();
  allowed.add(fullHash);
  await chrome.storage.session.set({ [ALLOWED_KEY]: [...allowed] });
}
