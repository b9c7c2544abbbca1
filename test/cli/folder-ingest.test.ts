import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/test-core.ts';
import { runCli } from '../helpers/run-cli.ts';

const STORY = (topic: string) =>
  `${topic} council approves new budget\n\nThe ${topic} town council approved its budget for next year on Monday after a long debate about road repairs and school funding.\n\nThe mayor said the plan keeps taxes flat while the library gets longer opening hours, which residents had asked for at three public meetings.\n`;

/** A folder with two good articles and one file of every kind that must be skipped. */
function messyFolder(): string {
  const dir = tempDir('newsdesk-folder-');
  fs.writeFileSync(path.join(dir, 'a-good.txt'), STORY('Arlen'));
  fs.writeFileSync(path.join(dir, 'b-empty.md'), '');
  fs.writeFileSync(path.join(dir, 'c-binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
  fs.writeFileSync(path.join(dir, 'd-report.pdf'), '%PDF-1.4 not really');
  fs.writeFileSync(path.join(dir, 'e-title-only.md'), '# Just a headline\n');
  fs.writeFileSync(path.join(dir, 'f-huge.txt'), `Huge file\n\n${'word '.repeat(3000)}`);
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'g-good.txt'), STORY('Bexley'));
  return dir;
}

describe('newsdesk ingest <folder>', () => {
  it('keeps going past bad files, reports each, and makes the folder one source', () => {
    const dataDir = tempDir();
    const dir = messyFolder();
    const r = runCli(['ingest', dir], { dataDir, env: { NEWSDESK_MAX_FILE_BYTES: '10000' } });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/: 2 added, .* 5 skipped/);
    expect(r.out).toMatch(/skipped b-empty\.md: is empty/);
    expect(r.out).toMatch(/skipped c-binary\.txt: binary content/);
    expect(r.out).toMatch(/skipped d-report\.pdf: unsupported file type/);
    expect(r.out).toMatch(/skipped e-title-only\.md: .*no article text/);
    expect(r.out).toMatch(/skipped f-huge\.txt: too large for one article \(15 KB; the limit is 10 KB, set by NEWSDESK_MAX_FILE_BYTES\)/);
    expect(r.out).toMatch(/7 files: 2 read, 5 skipped \(1 empty, 1 binary, 1 unsupported, 1 not an article, 1 too large\)\./);
    expect(r.out).toMatch(/^Done in .*: 2 articles added/m);

    const list = JSON.parse(runCli(['sources', 'list', '--json'], { dataDir }).out);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ kind: 'file', url: dir, articleCount: 2 });
    // Binary content never becomes an article.
    const ask = JSON.parse(runCli(['ask', '--json', 'PNG IHDR'], { dataDir }).out);
    expect(ask.citations.every((c: { title: string }) => [...c.title].every((ch) => ch.charCodeAt(0) >= 0x20))).toBe(true);
  });

  it('leaves no source behind when nothing in the folder could be read, and says so', () => {
    const dataDir = tempDir();
    const dir = tempDir('newsdesk-bad-');
    fs.writeFileSync(path.join(dir, 'empty.txt'), '   \n');
    const r = runCli(['ingest', dir], { dataDir });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/1 file: 0 read, 1 skipped \(1 empty\)\. Nothing could be read, so no source was created\./);
    const empty = runCli(['ingest', tempDir('newsdesk-empty-')], { dataDir });
    expect(empty.code).toBe(1);
    expect(empty.out).toMatch(/0 files: .*no files Newsdesk can read; nothing was added/);
    expect(JSON.parse(runCli(['sources', 'list', '--json'], { dataDir }).out)).toEqual([]);
  });

  it('reads Japanese text, counting words and sentences without spaces', () => {
    const dataDir = tempDir();
    const dir = tempDir('newsdesk-cjk-');
    const body =
      '東京都は十二月一日、新しい図書館を来年春に開館すると発表した。図書館は駅の近くに建設され、約二十万冊の本を所蔵する予定だ。知事は記者会見で「市民の学びの場にしたい」と述べた。';
    fs.writeFileSync(path.join(dir, 'tokyo.txt'), `東京に新図書館\n\n${body}\n`);
    const r = runCli(['ingest', '--json', dir], { dataDir });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)[0]).toMatchObject({ added: 1, skipped: 0 });
  });

  it('reads a JSONL file that starts with a byte-order mark', () => {
    const dir = tempDir('newsdesk-bom-');
    const line = JSON.stringify({
      title: 'Bridge reopens',
      text: 'The harbour bridge reopened on Monday after repairs. Traffic was back to normal by the evening rush hour, the city said.',
    });
    fs.writeFileSync(path.join(dir, 'articles.jsonl'), `\uFEFF${line}\n`);
    const r = runCli(['ingest', '--json', dir], { dataDir: tempDir() });
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)[0]).toMatchObject({ added: 1, skipped: 0 });
  });

  it('decodes UTF-16 and Latin-1 files, warning about the Latin-1 guess', () => {
    const dataDir = tempDir();
    const dir = tempDir('newsdesk-enc-');
    const text =
      'Café owners in Málaga protest\n\nCafé owners in Málaga protested on Friday against the new terrace fees, which they say will double their costs.\n\nThe city said the fees pay for cleaning the streets after the summer season.\n';
    fs.writeFileSync(path.join(dir, 'latin1.txt'), Buffer.from(text, 'latin1'));
    fs.writeFileSync(path.join(dir, 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/Málaga/g, 'Sevilla'), 'utf16le')]));
    const r = runCli(['ingest', dir], { dataDir });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2 added/);
    expect(r.out).toMatch(/note: latin1\.txt is not valid UTF-8; read it as Latin-1/);
    expect(r.out).not.toMatch(/note: utf16\.txt/);
    const ask = JSON.parse(runCli(['ask', '--json', 'terrace fees Málaga café owners'], { dataDir }).out);
    expect(ask.citations[0].title).toBe('Café owners in Málaga protest');
  });
});
