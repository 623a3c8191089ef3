// Punycode (RFC 3492), to turn an internationalised host name into its ASCII form ("xn--…") and back.
// The navigation URLs Chromium reports are already in ASCII form: encoding is only needed for addresses typed by
// hand; decoding shows the user the host as their address bar does.

const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;
const MAX_CODE_POINT = 0x10ffff;

function adapt(delta, pointCount, firstTime) {
  let value = firstTime ? Math.floor(delta / DAMP) : Math.floor(delta / 2);
  value += Math.floor(value / pointCount);
  let k = 0;
  while (value > ((BASE - T_MIN) * T_MAX) >> 1) {
    value = Math.floor(value / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * value) / (value + SKEW));
}

function threshold(k, bias) {
  if (k <= bias) {
    return T_MIN;
  }
  return k >= bias + T_MAX ? T_MAX : k - bias;
}

function digitToChar(digit) {
  // 0..25 → "a".."z", 26..35 → "0".."9"
  return String.fromCharCode(digit < 26 ? digit + 97 : digit + 22);
}

function charToDigit(code) {
  if (code >= 48 && code <= 57) {
    return code - 22;
  }
  if (code >= 65 && code <= 90) {
    return code - 65;
  }
  if (code >= 97 && code <= 122) {
    return code - 97;
  }
  return BASE;
}

/** Encode one label (without the "xn--" prefix). */
export function encode(label) {
  const points = Array.from(label, (character) => character.codePointAt(0));
  let output = points
    .filter((point) => point < 0x80)
    .map((point) => String.fromCharCode(point))
    .join("");
  const basicCount = output.length;
  let handled = basicCount;
  if (basicCount > 0) {
    output += "-";
  }
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < points.length) {
    let next = MAX_CODE_POINT + 1;
    for (const point of points) {
      if (point >= n && point < next) {
        next = point;
      }
    }
    delta += (next - n) * (handled + 1);
    n = next;
    for (const point of points) {
      if (point < n) {
        delta += 1;
      }
      if (point === n) {
        let q = delta;
        for (let k = BASE; ; k += BASE) {
          const t = threshold(k, bias);
          if (q < t) {
            break;
          }
          output += digitToChar(t + ((q - t) % (BASE - t)));
          q = Math.floor((q - t) / (BASE - t));
        }
        output += digitToChar(q);
        bias = adapt(delta, handled + 1, handled === basicCount);
        delta = 0;
        handled += 1;
      }
    }
    delta += 1;
    n += 1;
  }
  return output;
}

/** Decode one label (without the "xn--" prefix); throws on malformed input. */
export function decode(label) {
  const output = [];
  const lastDash = label.lastIndexOf("-");
  const basicCount = lastDash < 0 ? 0 : lastDash;
  for (let index = 0; index < basicCount; index += 1) {
    const code = label.charCodeAt(index);
    if (code >= 0x80) {
      throw new Error("not a punycode label");
    }
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = basicCount > 0 ? basicCount + 1 : 0; index < label.length; ) {
    const previous = i;
    let weight = 1;
    for (let k = BASE; ; k += BASE) {
      if (index >= label.length) {
        throw new Error("truncated punycode label");
      }
      const digit = charToDigit(label.charCodeAt(index));
      index += 1;
      if (digit >= BASE) {
        throw new Error("invalid punycode digit");
      }
      i += digit * weight;
      const t = threshold(k, bias);
      if (digit < t) {
        break;
      }
      weight *= BASE - t;
      if (!Number.isSafeInteger(i) || !Number.isSafeInteger(weight)) {
        throw new Error("punycode overflow");
      }
    }
    const length = output.length + 1;
    bias = adapt(i - previous, length, previous === 0);
    n += Math.floor(i / length);
    i %= length;
    if (n > MAX_CODE_POINT) {
      throw new Error("punycode overflow");
    }
    output.splice(i, 0, n);
    i += 1;
  }
  return String.fromCodePoint(...output);
}

/** "xn--…" labels of an ASCII host turned into Unicode; a label that does not decode stays as it is. */
export function hostToUnicode(host) {
  return String(host)
    .split(".")
    .map((label) => {
      if (!/^xn--/i.test(label)) {
        return label;
      }
      try {
        return decode(label.slice(4).toLowerCase());
      } catch {
        return label;
      }
    })
    .join(".");
}
