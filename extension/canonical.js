// URL canonicalisation and hash expressions: a port of cyberaide/antiscam/canonical.py (canonical_url,
// url_expressions). The server hashes the expressions of the listed sites and pages; the extension hashes those of
// the address being opened. Both must give the same strings, byte for byte: the module docstring of canonical.py is
// the specification, and tests/antiscam/data/url_vectors.json the shared test vectors.
//
// Everything works on UTF-8 bytes, as the Python code does, so that escapes that do not form valid UTF-8 are kept.
//
// One approximation: for a host that holds non-ASCII characters after unescaping (an address typed by hand; the
// addresses Chromium reports are already in ASCII form), the UTS-46 mapping and the IDNA 2008 rules of the Python
// `idna` package are approximated with NFKC and lowercasing; a handful of exotic hosts may differ.

import { decode as punycodeDecode, encode as punycodeEncode } from "./punycode.js";

export const MAX_URL_CHARS = 2000;
const MAX_HOST_CHARS = 253;
const MAX_LABEL_CHARS = 63;

export const TRACKING_PARAMETERS = new Set([
  "fbclid",
  "gclid",
  "dclid",
  "gbraid",
  "wbraid",
  "msclkid",
  "mc_cid",
  "mc_eid",
  "_hsenc",
  "_hsmi",
  "igshid",
  "yclid",
  "twclid",
  "ttclid",
  "srsltid",
  "_ga",
  "_gl",
  "mkt_tok",
]);
const TRACKING_PREFIX = "utm_";

const DEFAULT_PORTS = { http: 80, https: 443 };

const EDGE_CHARS = "\\x00-\\x20\\x7f\\x85\\xa0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
const EDGE_RE = new RegExp(`^[${EDGE_CHARS}]+|[${EDGE_CHARS}]+$`, "g");
const TAB_NEWLINE_RE = /[\t\r\n]/g;
const CONTROL_RE = /[\x00-\x1f\x7f-\x9f]/;
const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const LEADING_SLASHES_RE = /^[/\\]*/;
const PORT_RE = /^[0-9]*$/;
const DOTS_RE = /\.{2,}/g;
const ASCII_LABEL_RE = /^[a-z0-9_-]+$/;
const NUMERIC_LABEL_RE = /^(?:[0-9]+|0x[0-9a-f]*)$/;
const IPV4_DECIMAL_RE = /^[0-9]+$/;
const IPV4_OCTAL_RE = /^0[0-7]+$/;
const IPV4_HEX_RE = /^0x[0-9a-f]*$/;
// Characters UTS-46 maps to a full stop, and those it ignores (removes), which NFKC alone does not handle.
const UTS46_DOTS_RE = /[\u3002\uff0e\uff61]/g;
// A rough stand-in for the characters UTS-46 disallows: controls, surrogates, private use, spaces,
// format characters other than the joiners.
const UTS46_DISALLOWED_RE = /[\p{Cc}\p{Cs}\p{Co}\p{Z}]|(?![\u200c\u200d])\p{Cf}/u;
const UTS46_IGNORED_RE = /[\u00ad\u034f\u180b-\u180f\u200b\u2060\u2064\ufe00-\ufe0f\ufeff]/gu;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const HEX_UPPER = Array.from({ length: 256 }, (_, byte) => "%" + byte.toString(16).toUpperCase().padStart(2, "0"));

/** A URL or host this module refuses, as canonical.py raises InvalidIndicator. */
export class InvalidUrl extends Error {}

function hexValue(byte) {
  if (byte >= 0x30 && byte <= 0x39) {
    return byte - 0x30;
  }
  if (byte >= 0x41 && byte <= 0x46) {
    return byte - 0x37;
  }
  if (byte >= 0x61 && byte <= 0x66) {
    return byte - 0x57;
  }
  return -1;
}

/** One left-to-right pass replacing every "%XX" by its byte. */
function unescapeOnce(bytes) {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    if (bytes[index] === 0x25 && index + 2 < bytes.length) {
      const high = hexValue(bytes[index + 1]);
      const low = hexValue(bytes[index + 2]);
      if (high >= 0 && low >= 0) {
        out[length] = high * 16 + low;
        length += 1;
        index += 2;
        continue;
      }
    }
    out[length] = bytes[index];
    length += 1;
  }
  return out.subarray(0, length);
}

/** Unescape until nothing changes (every changing pass shortens the bytes, so this ends). */
export function fullyUnescape(bytes) {
  let current = bytes;
  while (current.includes(0x25)) {
    const next = unescapeOnce(current);
    if (next.length === current.length) {
      break;
    }
    current = next;
  }
  return current;
}

/** Bytes to ASCII text, "%XX" (uppercase) for every byte `mustEscape` selects. */
function escapeBytes(bytes, mustEscape) {
  let out = "";
  for (const byte of bytes) {
    out += mustEscape(byte) ? HEX_UPPER[byte] : String.fromCharCode(byte);
  }
  return out;
}

function escapedInQuery(byte) {
  return byte <= 0x20 || byte >= 0x7f || byte === 0x23 || byte === 0x25;
}

function escapedInPath(byte) {
  return escapedInQuery(byte) || byte === 0x3f || byte === 0x5c;
}

function splitBytes(bytes, separator) {
  const parts = [];
  let start = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    if (bytes[index] === separator) {
      parts.push(bytes.subarray(start, index));
      start = index + 1;
    }
  }
  parts.push(bytes.subarray(start));
  return parts;
}

function joinBytes(parts, separator) {
  const total = parts.reduce((sum, part) => sum + part.length, 0) + Math.max(parts.length - 1, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  parts.forEach((part, index) => {
    if (index > 0) {
      out[offset] = separator;
      offset += 1;
    }
    out.set(part, offset);
    offset += part.length;
  });
  return out;
}

function bytesEqual(bytes, text) {
  if (bytes.length !== text.length) {
    return false;
  }
  for (let index = 0; index < bytes.length; index += 1) {
    if (bytes[index] !== text.charCodeAt(index)) {
      return false;
    }
  }
  return true;
}

function partition(text, separator) {
  const index = text.indexOf(separator);
  return index < 0 ? [text, "", ""] : [text.slice(0, index), separator, text.slice(index + separator.length)];
}

function isAscii(text) {
  return /^[\x00-\x7f]*$/.test(text);
}

function codePointLength(text) {
  let count = 0;
  for (const _character of text) {
    count += 1;
  }
  return count;
}

// --- IP addresses ---------------------------------------------------------------------------------------------

function parseIpv4Number(part) {
  if (IPV4_HEX_RE.test(part)) {
    return part.length > 2 ? BigInt("0x" + part.slice(2)) : 0n;
  }
  if (IPV4_OCTAL_RE.test(part)) {
    return BigInt("0o" + part.slice(1));
  }
  if (IPV4_DECIMAL_RE.test(part) && (part === "0" || !part.startsWith("0"))) {
    return BigInt(part);
  }
  return null;
}

/** A host whose last label is a number: an IPv4 address in any form browsers accept, in dotted decimal. */
function parseIpv4(host) {
  const parts = host.split(".");
  if (parts.length > 4) {
    throw new InvalidUrl("bad IPv4 address");
  }
  const numbers = parts.map(parseIpv4Number);
  if (numbers.some((number) => number === null)) {
    throw new InvalidUrl("bad IPv4 address");
  }
  const last = numbers[numbers.length - 1];
  const leading = numbers.slice(0, -1);
  if (leading.some((number) => number > 255n) || last >= 256n ** BigInt(5 - numbers.length)) {
    throw new InvalidUrl("bad IPv4 address");
  }
  let value = last;
  leading.forEach((number, index) => {
    value += number << BigInt(8 * (3 - index));
  });
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

/** Python's strict IPv4Address: four decimal octets, no leading zero. */
function parseStrictIpv4(text) {
  const octets = text.split(".");
  if (octets.length !== 4) {
    return null;
  }
  let value = 0;
  for (const octet of octets) {
    if (!/^[0-9]{1,3}$/.test(octet) || (octet.length > 1 && octet.startsWith("0")) || Number(octet) > 255) {
      return null;
    }
    value = value * 256 + Number(octet);
  }
  return value;
}

/** An IPv6 address as Python's ipaddress.IPv6Address parses it, compressed as its `compressed` writes it. */
function canonicalIpv6(text) {
  const parts = text.split(":");
  if (parts.length < 3) {
    return null;
  }
  if (parts[parts.length - 1].includes(".")) {
    const ipv4 = parseStrictIpv4(parts.pop());
    if (ipv4 === null) {
      return null;
    }
    parts.push(Math.floor(ipv4 / 65536).toString(16), (ipv4 % 65536).toString(16));
  }
  if (parts.length > 9) {
    return null;
  }
  let skipIndex = null;
  for (let index = 1; index < parts.length - 1; index += 1) {
    if (!parts[index]) {
      if (skipIndex !== null) {
        return null;
      }
      skipIndex = index;
    }
  }
  let high;
  let low;
  let skipped;
  if (skipIndex !== null) {
    high = skipIndex;
    low = parts.length - skipIndex - 1;
    if (!parts[0]) {
      high -= 1;
      if (high) {
        return null;
      }
    }
    if (!parts[parts.length - 1]) {
      low -= 1;
      if (low) {
        return null;
      }
    }
    skipped = 8 - (high + low);
    if (skipped < 1) {
      return null;
    }
  } else {
    if (parts.length !== 8 || !parts[0] || !parts[parts.length - 1]) {
      return null;
    }
    high = parts.length;
    low = 0;
    skipped = 0;
  }
  const groups = [...parts.slice(0, high), ...Array(skipped).fill("0"), ...parts.slice(parts.length - low)];
  const hextets = [];
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) {
      return null;
    }
    hextets.push(parseInt(group, 16).toString(16));
  }
  // The longest run of zero groups (the first of equal runs), when longer than one, becomes "::".
  let bestStart = -1;
  let bestLength = 0;
  let runStart = -1;
  let runLength = 0;
  hextets.forEach((hextet, index) => {
    if (hextet === "0") {
      runLength += 1;
      if (runStart === -1) {
        runStart = index;
      }
      if (runLength > bestLength) {
        bestLength = runLength;
        bestStart = runStart;
      }
    } else {
      runLength = 0;
      runStart = -1;
    }
  });
  if (bestLength > 1) {
    const end = bestStart + bestLength;
    if (end === hextets.length) {
      hextets.push("");
    }
    hextets.splice(bestStart, bestLength, "");
    if (bestStart === 0) {
      hextets.unshift("");
    }
  }
  return hextets.join(":");
}

// --- Host ------------------------------------------------------------------------------------------------------

/** Approximation of idna.uts46_remap(std3_rules=False, transitional=False) for a non-ASCII host. */
function uts46Remap(host) {
  return host
    .replace(UTS46_IGNORED_RE, "")
    .toLowerCase()
    .normalize("NFKC")
    .toLowerCase()
    .replace(UTS46_DOTS_RE, ".")
    .normalize("NFC");
}

/** "xn--" labels must be Punycode for a non-ASCII label already in mapped form, as canonical.py checks. */
function checkAceLabel(label) {
  let decoded;
  try {
    decoded = punycodeDecode(label.slice(4));
  } catch {
    throw new InvalidUrl("bad punycode label");
  }
  if (!decoded || isAscii(decoded) || "xn--" + punycodeEncode(decoded) !== label) {
    throw new InvalidUrl("bad punycode label");
  }
  if (uts46Remap(decoded) !== decoded || decoded.includes(".") || UTS46_DISALLOWED_RE.test(decoded)) {
    throw new InvalidUrl("punycode label not in mapped form");
  }
}

/** Approximation of idna.alabel (IDNA 2008) for a mapped non-ASCII label. */
function toALabel(label) {
  if (
    !/^[\p{L}\p{M}\p{N}\u00b7\u0375\u05f3\u05f4\u30fb\u200c\u200d-]+$/u.test(label) ||
    /^\p{M}/u.test(label) ||
    label.startsWith("-") ||
    label.endsWith("-") ||
    label.slice(2, 4) === "--" ||
    /[A-Z]/.test(label)
  ) {
    throw new InvalidUrl("label not valid under IDNA 2008");
  }
  return "xn--" + punycodeEncode(label);
}

/** The canonical ASCII host of `rawHost` and whether it is an IP address (step 6 of canonical.py). */
export function canonicalHost(rawHost) {
  if (rawHost.startsWith("[")) {
    const inner = rawHost.endsWith("]") ? rawHost.slice(1, -1) : "";
    const address = inner && !inner.includes("%") ? canonicalIpv6(inner) : null;
    if (address === null) {
      throw new InvalidUrl("bad IPv6 address");
    }
    return { host: `[${address}]`, isIp: true };
  }
  let host;
  try {
    host = strictUtf8.decode(fullyUnescape(utf8.encode(rawHost)));
  } catch {
    throw new InvalidUrl("host is not UTF-8");
  }
  host = isAscii(host) ? host.toLowerCase() : uts46Remap(host);
  host = host.replace(DOTS_RE, ".").replace(/^\.+|\.+$/g, "");
  if (!host) {
    throw new InvalidUrl("empty host");
  }
  const labels = host.split(".");
  if (NUMERIC_LABEL_RE.test(labels[labels.length - 1])) {
    return { host: parseIpv4(host), isIp: true };
  }
  const asciiLabels = labels.map((label) => {
    let ascii = label;
    if (isAscii(label)) {
      if (!ASCII_LABEL_RE.test(label)) {
        throw new InvalidUrl("bad host label");
      }
      if (label.startsWith("xn--")) {
        checkAceLabel(label);
      }
    } else {
      ascii = toALabel(label);
    }
    if (ascii.length > MAX_LABEL_CHARS) {
      throw new InvalidUrl("label too long");
    }
    return ascii;
  });
  host = asciiLabels.join(".");
  if (host.length > MAX_HOST_CHARS) {
    throw new InvalidUrl("host too long");
  }
  return { host, isIp: false };
}

// --- Path and query --------------------------------------------------------------------------------------------

function canonicalPath(rawPath) {
  const segments = splitBytes(fullyUnescape(utf8.encode(rawPath)), 0x2f);
  const kept = [];
  for (const segment of segments) {
    if (segment.length === 0 || bytesEqual(segment, ".")) {
      continue;
    }
    if (bytesEqual(segment, "..")) {
      kept.pop();
      continue;
    }
    kept.push(segment);
  }
  if (kept.length === 0) {
    return "/";
  }
  const last = segments[segments.length - 1];
  const trailing = last.length === 0 || bytesEqual(last, ".") || bytesEqual(last, "..") ? "/" : "";
  return "/" + kept.map((segment) => escapeBytes(segment, escapedInPath)).join("/") + trailing;
}

const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

function isTracking(name) {
  // bytes.lower() lowers ASCII letters only; the name is then read as UTF-8 with replacement characters.
  const lowered = lenientUtf8.decode(name.map((byte) => (byte >= 0x41 && byte <= 0x5a ? byte + 32 : byte)));
  return lowered.startsWith(TRACKING_PREFIX) || TRACKING_PARAMETERS.has(lowered);
}

function canonicalQuery(rawQuery) {
  const parameters = splitBytes(fullyUnescape(utf8.encode(rawQuery)), 0x26);
  const kept = parameters.filter((parameter) => {
    const equals = parameter.indexOf(0x3d);
    return !isTracking(equals < 0 ? parameter : parameter.subarray(0, equals));
  });
  const query = escapeBytes(joinBytes(kept, 0x26), escapedInQuery);
  return query.replace(/^&+|&+$/g, "") ? query : null;
}

// --- URL -------------------------------------------------------------------------------------------------------

/**
 * The canonical form of a web address: {scheme, host, port, path, query, isIp, url, expression}; throws InvalidUrl
 * when canonical.py would raise InvalidIndicator.
 */
export function parseCanonicalUrl(raw) {
  if (typeof raw !== "string") {
    throw new InvalidUrl("not a string");
  }
  let text = raw.replace(EDGE_RE, "").replace(TAB_NEWLINE_RE, "");
  if (!text) {
    throw new InvalidUrl("empty");
  }
  if (text.length > MAX_URL_CHARS && codePointLength(text) > MAX_URL_CHARS) {
    throw new InvalidUrl("too long");
  }
  if (CONTROL_RE.test(text)) {
    throw new InvalidUrl("control character");
  }

  let scheme = "http";
  const match = SCHEME_RE.exec(text);
  if (match) {
    const word = match[1].toLowerCase();
    const rest = text.slice(match[0].length);
    if (word in DEFAULT_PORTS || !/^[0-9]/.test(rest)) {
      if (!(word in DEFAULT_PORTS)) {
        throw new InvalidUrl("not http or https");
      }
      scheme = word;
      text = rest;
    }
  }
  text = text.slice(LEADING_SLASHES_RE.exec(text)[0].length);

  text = partition(text, "#")[0];
  const [beforeQuery, questionMark, rawQuery] = partition(text, "?");
  const [authority, slash, rawPath] = partition(beforeQuery.replaceAll("\\", "/"), "/");
  const hostPort = authority.slice(authority.lastIndexOf("@") + 1);

  let rawHost;
  let rawPort;
  if (hostPort.startsWith("[")) {
    const [inside, bracket, after] = partition(hostPort, "]");
    rawHost = inside + bracket;
    if (after && !after.startsWith(":")) {
      throw new InvalidUrl("bad IPv6 host");
    }
    rawPort = after.slice(1);
  } else {
    [rawHost, , rawPort] = partition(hostPort, ":");
  }
  if (!rawHost) {
    throw new InvalidUrl("no host");
  }
  if (!PORT_RE.test(rawPort) || (rawPort && Number(rawPort) > 65535)) {
    throw new InvalidUrl("bad port");
  }
  let port = rawPort ? Number(rawPort) : null;
  if (port === DEFAULT_PORTS[scheme]) {
    port = null;
  }

  const { host, isIp } = canonicalHost(rawHost);
  const path = canonicalPath(slash + rawPath);
  const query = questionMark ? canonicalQuery(rawQuery) : null;
  const url = `${scheme}://${host}${port !== null ? ":" + port : ""}${path}${query ? "?" + query : ""}`;
  if (url.length > MAX_URL_CHARS) {
    throw new InvalidUrl("too long");
  }
  return { scheme, host, port, path, query, isIp, url, expression: host + path + (query ? "?" + query : "") };
}

/** Like parseCanonicalUrl, but null for an address that cannot be read. */
export function canonicalUrl(raw) {
  try {
    return parseCanonicalUrl(raw);
  } catch (error) {
    if (error instanceof InvalidUrl) {
      return null;
    }
    throw error;
  }
}

/**
 * The "host/path" expressions to look up (canonical.py url_expressions): hosts from the exact one to two labels
 * (at most five, never the bare top-level domain, only the exact host for an IP address) times paths (exact path
 * with query, exact path, then directory prefixes from the deepest to "/", at most four).
 * `canonical`: a result of canonicalUrl, or a raw address.
 */
export function urlExpressions(canonical) {
  const url = typeof canonical === "string" ? canonicalUrl(canonical) : canonical;
  if (!url) {
    return [];
  }
  const hosts = [url.host];
  if (!url.isIp) {
    const labels = url.host.split(".");
    for (let start = Math.max(labels.length - 5, 1); start < labels.length - 1; start += 1) {
      const suffix = labels.slice(start).join(".");
      if (!hosts.includes(suffix)) {
        hosts.push(suffix);
      }
    }
  }
  const paths = url.query ? [`${url.path}?${url.query}`] : [];
  paths.push(url.path);
  const prefixes = ["/"];
  for (const segment of url.path.split("/").slice(1, -1).slice(0, 3)) {
    prefixes.push(`${prefixes[prefixes.length - 1]}${segment}/`);
  }
  for (const prefix of prefixes.reverse()) {
    if (!paths.includes(prefix)) {
      paths.push(prefix);
    }
  }
  return hosts.flatMap((host) => paths.map((path) => host + path));
}
