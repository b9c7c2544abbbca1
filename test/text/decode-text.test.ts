import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/text/decode-text.ts';

const TEXT = 'Café owners in Málaga protest';

describe('decodeText', () => {
  it('follows a byte-order mark (UTF-8, UTF-16 LE and BE)', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]))).toMatchObject({ kind: 'text', text: TEXT, encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]))).toMatchObject({ text: TEXT, encoding: 'utf-16le' });
    const be = Buffer.from(TEXT, 'utf16le').swap16();
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({ text: TEXT, encoding: 'utf-16be' });
  });

  it('recognises UTF-16 without a BOM', () => {
    expect(decodeText(Buffer.from(TEXT, 'utf16le'))).toMatchObject({ text: TEXT, encoding: 'utf-16le' });
  });

  it('reads invalid UTF-8 as Windows-1252 with a warning, or as the charset an HTML file declares', () => {
    const latin1 = decodeText(Buffer.from(TEXT, 'latin1'));
    expect(latin1).toMatchObject({ kind: 'text', text: TEXT, encoding: 'windows-1252', warning: expect.stringMatching(/not valid UTF-8/) });
    // 0xA4 is € in ISO-8859-15 (and ¤ in Latin-1): the declared charset decides.
    const html = Buffer.concat([Buffer.from(`<meta charset="iso-8859-15"><p>${TEXT} `, 'latin1'), Buffer.from([0xa4]), Buffer.from('</p>')]);
    const decoded = decodeText(html, { html: true });
    expect(decoded).toMatchObject({ kind: 'text', encoding: 'iso-8859-15', text: expect.stringContaining(`${TEXT} €`) });
    expect(decoded).not.toHaveProperty('warning');
  });

  it('refuses binary content', () => {
    expect(decodeText(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]))).toMatchObject({ kind: 'binary' });
    expect(decodeText(Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 0x01 : 0x41))))).toMatchObject({ kind: 'binary' });
  });
});
