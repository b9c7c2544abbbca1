/**
 * Bytes of a local file → text. A byte-order mark decides (UTF-8, UTF-16 LE/BE); otherwise strict
 * UTF-8, then a charset an HTML file declares, then Latin-1 (Windows-1252) with a warning, because
 * a legacy file must not become mojibake silently. Binary content is refused, never stored as text.
 */
export type DecodedText = { kind: 'text'; text: string; encoding: string; warning?: string } | { kind: 'binary'; reason: string };

const SAMPLE = 64 * 1024;

export function decodeText(buf: Uint8Array, opts: { html?: boolean } = {}): DecodedText {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return text(buf.subarray(3), 'utf-8');
  if (buf[0] === 0xff && buf[1] === 0xfe) return text(buf.subarray(2), 'utf-16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return text(buf.subarray(2), 'utf-16be');
  const bomless16 = utf16WithoutBom(buf);
  if (bomless16) return text(buf, bomless16);

  const binary = binaryReason(buf);
  if (binary) return { kind: 'binary', reason: binary };
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    /* not UTF-8: try what the file declares, then Latin-1 */
  }
  const declared = opts.html ? declaredCharset(buf) : null;
  if (declared) {
    try {
      return { kind: 'text', text: new TextDecoder(declared).decode(buf), encoding: declared };
    } catch {
      /* an unknown label: fall through */
    }
  }
  return {
    kind: 'text',
    text: new TextDecoder('windows-1252').decode(buf),
    encoding: 'windows-1252',
    warning: 'is not valid UTF-8; read it as Latin-1 (Windows-1252). If accents look wrong, convert the file to UTF-8 and ingest it again.',
  };
}

function text(buf: Uint8Array, encoding: string): DecodedText {
  return { kind: 'text', text: new TextDecoder(encoding).decode(buf), encoding };
}

/** UTF-16 text without a BOM has a zero byte in every other position for Latin-script text. */
function utf16WithoutBom(buf: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(buf.length, SAMPLE) & ~1;
  if (n < 8) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZeros++;
    if (buf[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

/** NUL bytes, or many control characters other than tab/newline/CR/form feed, mean binary. */
function binaryReason(buf: Uint8Array): string | null {
  const n = Math.min(buf.length, SAMPLE);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) return 'binary content (it contains NUL bytes), not text';
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return n > 0 && control / n > 0.05 ? 'binary content (many control characters), not text' : null;
}

function declaredCharset(buf: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(buf.subarray(0, 4096));
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase() ?? null;
}
