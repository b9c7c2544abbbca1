/**
 * Turns a fetched body into text in the charset it declares: a byte-order mark first, then the
 * HTTP `Content-Type` charset, then what the document says about itself (`<meta charset>`, `<meta
 * http-equiv="Content-Type">`, the XML declaration's `encoding`), else UTF-8. Labels follow the
 * WHATWG Encoding standard (so `iso-8859-1` decodes as windows-1252, as browsers do); an unknown
 * label falls back to UTF-8 rather than failing the fetch.
 */
export function decodeBody(body: Buffer, contentType: string | null): string {
  const bom = bomEncoding(body);
  const label = bom ?? headerCharset(contentType) ?? documentCharset(body) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { ignoreBOM: false });
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(body);
}

function bomEncoding(b: Buffer): string | null {
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  return null;
}

export function headerCharset(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

/** The charset a document declares in its first 2 KiB (read as Latin-1: declarations are ASCII). */
export function documentCharset(b: Buffer): string | null {
  const head = b.subarray(0, 2048).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  if (xml) return xml[1]!.toLowerCase();
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
  return meta ? meta[1]!.toLowerCase() : null;
}
