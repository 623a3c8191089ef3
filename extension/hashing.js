// SHA-256 of the expressions, and the 4-byte prefixes the list is made of (as unsigned 32-bit numbers, big endian).

const utf8 = new TextEncoder();

export const PREFIX_BYTES = 4;
export const PREFIX_PATTERN = /^[0-9a-f]{8}$/;
export const FULL_HASH_PATTERN = /^[0-9a-f]{64}$/;

export function toHex(buffer) {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The SHA-256 of the UTF-8 bytes of an expression ("host/path?query"), in lowercase hexadecimal. */
export async function expressionHash(expression) {
  return toHex(await crypto.subtle.digest("SHA-256", utf8.encode(expression)));
}

export function expressionHashes(expressions) {
  return Promise.all(expressions.map(expressionHash));
}

/** The first 4 bytes of a hash (hex) as an unsigned number. */
export function prefixNumber(hexHash) {
  return parseInt(hexHash.slice(0, 2 * PREFIX_BYTES), 16) >>> 0;
}

export function prefixHex(number) {
  return number.toString(16).padStart(2 * PREFIX_BYTES, "0");
}

/** The prefixes (sorted, distinct) end to end, 4 bytes each, big endian. */
export function prefixBytes(prefixes) {
  const bytes = new Uint8Array(prefixes.length * PREFIX_BYTES);
  const view = new DataView(bytes.buffer);
  prefixes.forEach((number, index) => view.setUint32(index * PREFIX_BYTES, number, false));
  return bytes;
}

export function bytesToPrefixes(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const prefixes = new Uint32Array(Math.floor(bytes.byteLength / PREFIX_BYTES));
  for (let index = 0; index < prefixes.length; index += 1) {
    prefixes[index] = view.getUint32(index * PREFIX_BYTES, false);
  }
  return prefixes;
}

/** What the server's "checksum" must equal: SHA-256 of the sorted distinct prefixes end to end. */
export async function listChecksum(sortedDistinctPrefixes) {
  return toHex(await crypto.subtle.digest("SHA-256", prefixBytes(sortedDistinctPrefixes)));
}
