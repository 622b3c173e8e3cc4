import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pca, symmetricEigen } from '../../../sdk/src/plots/pca';
import { utilFixture } from '../util/fixture';

describe('pca', () => {
  it('matches numpy eigh of the covariance (projection, variance ratios), sign: largest loading positive', () => {
    const f = utilFixture.pca;
    const r = pca(f.x, 2);
    r.projection.forEach((row, i) => row.forEach((v, c) => assert.ok(Math.abs(v - f.projection[i][c]) < 1e-6, `row ${i} pc ${c}: ${v} vs ${f.projection[i][c]}`)));
    r.explainedVarianceRatio.forEach((v, c) => assert.ok(Math.abs(v - f.explained_variance_ratio[c]) < 1e-9, `ratio ${c}`));
    for (const comp of r.components) {
      const big = comp.reduce((b, x, j) => (Math.abs(x) > Math.abs(comp[b]) ? j : b), 0);
      assert.ok(comp[big] > 0);
      assert.ok(Math.abs(Math.hypot(...comp) - 1) < 1e-12);
    }
  });

  it('points on a line: one component carries all the variance', () => {
    const r = pca([[0, 0, 0], [1, 2, 2], [2, 4, 4], [3, 6, 6]], 2);
    assert.ok(Math.abs(r.explainedVarianceRatio[0] - 1) < 1e-12);
    assert.ok(Math.abs(r.explainedVarianceRatio[1]) < 1e-12);
    r.components[0].forEach((v, j) => assert.ok(Math.abs(v - [1 / 3, 2 / 3, 2 / 3][j]) < 1e-12));
    assert.deepEqual(r.projection.map((p) => Math.round(p[0] * 1e9) / 1e9), [-4.5, -1.5, 1.5, 4.5]);
    assert.deepEqual(r.mean, [1.5, 3, 3]);
  });

  it('is deterministic', () => {
    const x = utilFixture.pca.x;
    assert.deepEqual(pca(x, 2), pca(x, 2));
  });

  it('symmetricEigen by hand and errors by name', () => {
    const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
    assert.ok(Math.abs(values[0] - 3) < 1e-12 && Math.abs(values[1] - 1) < 1e-12);
    assert.ok(Math.abs(Math.abs(vectors[0][0]) - Math.SQRT1_2) < 1e-12);
    assert.throws(() => pca([[1, 2]], 2), /pca needs at least 2 rows; got 1/);
    assert.throws(() => pca([[1, 2], [3]], 1), /pca: row 1 has 1 values; row 0 has 2/);
    assert.throws(() => pca([[1, 2], [3, 4]], 3), /pca: k must be an integer in 1..2; got 3/);
  });
});
