import { describe, expect, it } from 'vitest';
import { escapeXml, niceTicks, renderChart } from '../../src/bench/svg-chart.ts';
import { perturbText, replicaOf, replicated } from '../../src/bench/replicate.ts';
import { simhash64, hammingDistance, contentHash } from '../../src/text/near-duplicate.ts';

const TEXT =
  'The council of Harbor City approved a new budget on Monday after a long debate about ferries, housing, schools and the ' +
  'harbour wall, which engineers say must be repaired before the winter storms arrive. The mayor said the vote was a win for ' +
  'families and promised that the night ferry would run every thirty minutes from next spring, paid for by a small increase in parking fees.';

describe('renderChart', () => {
  it('draws one path per series, target lines and escaped labels', () => {
    const svg = renderChart({
      title: 'Latency & memory <test>',
      xLabel: 'chunks',
      panels: [
        {
          title: 'Latency',
          yLabel: 'ms',
          series: [
            {
              label: 'p50',
              color: '#00f',
              points: [
                { x: 1000, y: 2 },
                { x: 100000, y: 8 },
              ],
            },
            {
              label: 'p95',
              color: '#f00',
              points: [
                { x: 1000, y: 5 },
                { x: 100000, y: 15 },
              ],
            },
          ],
          targets: [{ y: 20, label: 'target' }],
        },
        { title: 'Memory', yLabel: 'MB', series: [{ label: 'rss', color: '#0a0', points: [{ x: 1000, y: 120 }] }] },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain('Latency &amp; memory &lt;test&gt;');
    expect(svg).toContain('stroke-dasharray="2 3"');
    expect(svg).not.toContain('NaN');
  });

  it('picks round ticks that cover the maximum', () => {
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(13).at(-1)!).toBeGreaterThanOrEqual(13);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(escapeXml('"a" & b')).toBe('&quot;a&quot; &amp; b');
  });
});

describe('replication', () => {
  it('keeps the bag of words but changes every 3-gram, so copies are not near-duplicates', () => {
    const copy = perturbText(TEXT, 1);
    expect(copy).not.toBe(TEXT);
    expect(copy.split(/\s+/).sort()).toEqual(TEXT.split(/\s+/).sort());
    expect(contentHash(copy)).not.toBe(contentHash(TEXT));
    expect(hammingDistance(simhash64(copy), simhash64(TEXT))).toBeGreaterThan(18);
  });

  it('gives copies new ids and URLs and drops aliases', () => {
    const rec = { id: 'a1', url: 'https://www.cnn.com/x', title: 'T', text: TEXT, aliases: ['https://cnn.com/x'] };
    const [c0, , c2] = [...take(replicated([rec]), 3)];
    expect(c0).toBe(rec);
    expect(c2!.id).toBe('a1~copy2');
    expect(new URL(c2!.url!).hostname).toBe('copy2.www.cnn.com');
    expect(c2!.aliases).toEqual([]);
    expect(replicaOf(rec, 1).text).not.toBe(replicaOf(rec, 2).text);
  });
});

function* take<T>(it: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  for (const x of it) {
    yield x;
    if (--n <= 0) return;
  }
}
