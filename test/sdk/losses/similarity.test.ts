// sdk/src/losses/similarity.ts against the reference similarity matrices (float64 torch, from
// test/reference/losses.py) on the wasm and cpu backends.
import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend, type BackendName } from '../../../sdk/src/backend';
import {
  cosSim,
  getMatrixSimilarity,
  getPairwiseSimilarity,
  matrixSimilarity,
  normalizeRows,
  pairwiseSimilarity,
  squaredEuclideanDistances,
  type MatrixSimilarityName,
  type PairwiseSimilarityName,
} from '../../../sdk/src/losses/similarity';
import { loadSimilarityFixtures, type SimilarityFixture } from '../../reference/fixtures';

const TOLERANCE = 1e-5;
const fixtures = loadSimilarityFixtures();

function assertClose(got: number[], expected: number[], what: string): void {
  assert.equal(got.length, expected.length, `${what}: length`);
  got.forEach((g, i) => {
    const e = expected[i];
    assert.ok(Math.abs(g - e) <= TOLERANCE * Math.max(1, Math.abs(e)), `${what}[${i}]: got ${g}, expected ${e}`);
  });
}

type SimilarityFn = (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor;

function functionFor(f: SimilarityFixture): SimilarityFn {
  const fn: SimilarityFn | undefined = f.fn.startsWith('pairwise_')
    ? pairwiseSimilarity[f.fn as PairwiseSimilarityName]
    : matrixSimilarity[f.fn as MatrixSimilarityName];
  assert.ok(fn, `similarity.ts has no function for fixture fn '${f.fn}'`);
  return fn;
}

/** The similarity values (flattened, with their shape) and the gradients of sum(upstream * fn(a, b)). */
function compute(f: SimilarityFixture): { got: number[]; shape: number[]; gradA: number[]; gradB: number[] } {
  const fn = functionFor(f);
  return tf.tidy(() => {
    const a = tf.tensor2d(f.a);
    const b = tf.tensor2d(f.b);
    const out = fn(a, b);
    const upstream = tf.tensor(f.upstream);
    const [gradA, gradB] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(fn(x as tf.Tensor2D, y as tf.Tensor2D), upstream)))([a, b]);
    return {
      got: Array.from(out.dataSync()),
      shape: out.shape,
      gradA: Array.from(gradA.dataSync()),
      gradB: Array.from(gradB.dataSync()),
    };
  });
}

function expectedShape(f: SimilarityFixture): number[] {
  return Array.isArray(f.expected[0]) ? [f.expected.length, (f.expected[0] as number[]).length] : [f.expected.length];
}

it('the fixture file covers every similarity function of similarity.ts', () => {
  const covered = new Set(fixtures.map((f) => f.fn));
  for (const name of [...Object.keys(matrixSimilarity), ...Object.keys(pairwiseSimilarity)]) {
    assert.ok(covered.has(name), `no reference fixture for ${name}`);
  }
});

for (const backend of ['wasm', 'cpu'] as BackendName[]) {
  describe(`similarity functions on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
      assert.equal(tf.getBackend(), backend);
    });

    for (const f of fixtures) {
      it(`${f.name} matches the reference, value and gradients`, () => {
        const { got, shape, gradA, gradB } = compute(f);
        assert.deepEqual(shape, expectedShape(f), `${f.name}: shape`);
        assertClose(got, (f.expected as (number | number[])[]).flat(), f.name);
        assertClose(gradA, f.gradA.flat(), `${f.name} d/da`);
        assertClose(gradB, f.gradB.flat(), `${f.name} d/db`);
      });
    }

    it('a zero row stays zero under normalizeRows and gives cosine 0, not NaN', () => {
      const [normalized, cos] = tf.tidy(() => {
        const x = tf.tensor2d([[0, 0, 0], [3, 4, 0]]);
        return [normalizeRows(x).arraySync(), cosSim(x, x).arraySync()];
      });
      assert.deepEqual(normalized[0], [0, 0, 0]);
      assertClose(normalized[1], [0.6, 0.8, 0], 'normalized row');
      assertClose(cos.flat(), [0, 0, 0, 1], 'cosine with a zero row');
    });

    it('squaredEuclideanDistances is the square of -euclidean_sim, clamped at 0', () => {
      const f = fixtures.find((x) => x.fn === 'euclidean_sim');
      assert.ok(f, 'no euclidean_sim fixture');
      const got = tf.tidy(() => Array.from(squaredEuclideanDistances(tf.tensor2d(f.a), tf.tensor2d(f.b)).dataSync()));
      const expected = (f.expected as number[][]).flat().map((s) => s * s);
      // Gram-matrix form loses ~1e-6 relative to ||a||^2 by cancellation; exact zeros become ~0, never negative.
      got.forEach((g, i) => {
        assert.ok(g >= 0, `entry ${i} negative: ${g}`);
        assert.ok(Math.abs(g - expected[i]) <= 1e-4 * Math.max(1, expected[i]), `entry ${i}: got ${g}, expected ${expected[i]}`);
      });
    });

    it('keeps the tensor count flat', () => {
      for (const f of fixtures) compute(f); // warm-up: kernels may cache constants on first use
      const before = tf.memory().numTensors;
      for (const f of fixtures) compute(f);
      assert.equal(tf.memory().numTensors, before);
    });
  });
}

describe('similarity lookup by Python name', () => {
  it('returns the functions under their sentence-transformers names', () => {
    assert.equal(getMatrixSimilarity('cos_sim', 'MultipleNegativesRankingLoss'), matrixSimilarity.cos_sim);
    assert.equal(getPairwiseSimilarity('pairwise_angle_sim', 'AnglELoss'), pairwiseSimilarity.pairwise_angle_sim);
  });

  it('names the loss, the bad value and the choices on an unknown name', () => {
    assert.throws(
      () => getMatrixSimilarity('cosine', 'MultipleNegativesRankingLoss'),
      /^Error: MultipleNegativesRankingLoss: similarityFct 'cosine' is not one of cos_sim, dot_score, euclidean_sim, manhattan_sim$/,
    );
    assert.throws(
      () => getPairwiseSimilarity('cos_sim', 'CoSENTLoss'),
      /^Error: CoSENTLoss: similarityFct 'cos_sim' is not one of pairwise_cos_sim, pairwise_dot_score, pairwise_euclidean_sim, pairwise_manhattan_sim, pairwise_angle_sim$/,
    );
  });
});
