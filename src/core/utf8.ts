// Strict UTF-8 decoding for everything that comes in (HTTP bodies, import files).
// Invalid UTF-8 is never silently turned into U+FFFD: where the input holds no real U+FFFD, each
// invalid sequence becomes a lone surrogate, which item validation then reports with its row
// and field; otherwise the whole input is refused with the byte offset of the first bad byte.
const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');
const REAL_REPLACEMENT = Buffer.from([0xef, 0xbf, 0xbd]);

export class InvalidUtf8Error extends Error {
  constructor(public readonly offset: number) { super(`not valid UTF-8 (first bad byte at offset ${offset})`); }
}

export function decodeUtf8(buf: Uint8Array): string {
  try {
    return strict.decode(buf);
  } catch {
    if (Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).includes(REAL_REPLACEMENT)) throw new InvalidUtf8Error(firstInvalidByte(buf));
    return lenient.decode(buf).replaceAll('\uFFFD', '\uD800');
  }
}

/** Strict decode of one line/record: null when it is not valid UTF-8. */
export function decodeStrict(buf: Uint8Array): string | null {
  try { return strict.decode(buf); } catch { return null; }
}

function firstInvalidByte(buf: Uint8Array): number {
  // The longest valid prefix, by bisection: decoding in stream mode tolerates a cut inside a
  // multi-byte character at the end, so a prefix is valid exactly up to the first bad byte.
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try { new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, mid), { stream: true }); lo = mid; } catch { hi = mid - 1; }
  }
  return lo;
}
