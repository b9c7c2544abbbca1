/**
 * Logistic regression by full-batch gradient descent, with L2 regularisation and positives weighted
 * up to the negatives' count (answer sentences are rare). Small and dependency-free: the models it
 * fits have a dozen or so inputs, each 0–1 or close to it.
 */
export function fitLogistic(X: readonly number[][], y: readonly number[], o: { l2?: number; epochs?: number; rate?: number } = {}): number[] {
  const l2 = o.l2 ?? 1e-3;
  const epochs = o.epochs ?? 300;
  const rate = o.rate ?? 0.5;
  if (X.length === 0) throw new Error('fitLogistic: no examples');
  const d = X[0]!.length + 1; // w[0] is the bias
  const w = new Array<number>(d).fill(0);
  const pos = y.filter((v) => v === 1).length;
  if (pos === 0 || pos === y.length) return w;
  const posWeight = (y.length - pos) / pos;
  const g = new Array<number>(d);
  for (let e = 0; e < epochs; e++) {
    g.fill(0);
    for (let i = 0; i < X.length; i++) {
      const x = X[i]!;
      const p = 1 / (1 + Math.exp(-predictLogit(w, x)));
      const c = (p - y[i]!) * (y[i] === 1 ? posWeight : 1);
      g[0]! += c;
      for (let j = 1; j < d; j++) g[j]! += c * x[j - 1]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= rate * (g[j]! / X.length + (j === 0 ? 0 : l2 * w[j]!));
  }
  return w;
}

export function predictLogit(w: readonly number[], x: readonly number[]): number {
  let z = w[0]!;
  for (let j = 0; j < x.length; j++) z += w[j + 1]! * x[j]!;
  return z;
}
