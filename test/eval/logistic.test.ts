import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogit } from '../../src/eval/logistic.ts';

describe('fitLogistic', () => {
  it('learns which input separates the classes, and its sign', () => {
    // y = 1 when the first input is high; the second input is noise.
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = (i % 10) / 10;
      const b = ((i * 7) % 11) / 11;
      X.push([a, b]);
      y.push(a > 0.55 ? 1 : 0);
    }
    const w = fitLogistic(X, y, { epochs: 2000, rate: 2, l2: 0 });
    expect(w[1]!).toBeGreaterThan(3);
    expect(Math.abs(w[2]!)).toBeLessThan(w[1]! / 4);
    const correct = X.filter((x, i) => predictLogit(w, x) > 0 === (y[i] === 1)).length;
    expect(correct / X.length).toBeGreaterThan(0.9);
  });

  it('weights rare positives up, so they are not all predicted negative', () => {
    const X = [...Array.from({ length: 95 }, (_, i) => [0.1 + (i % 5) / 100]), ...Array.from({ length: 5 }, () => [0.9])];
    const y = [...Array<number>(95).fill(0), ...Array<number>(5).fill(1)];
    const w = fitLogistic(X, y, { epochs: 2000, rate: 2 });
    expect(predictLogit(w, [0.9])).toBeGreaterThan(0);
    expect(predictLogit(w, [0.1])).toBeLessThan(0);
  });

  it('returns an all-zero model when there is only one class', () => {
    expect(fitLogistic([[1], [2]], [0, 0])).toEqual([0, 0]);
  });
});
