// Registers the torch reference cases of one loss as tests on wasm and cpu: value, d loss / d every embedding
// matrix and, for losses that own weights (SoftmaxLoss's classifier, MSELoss's projection), d loss / d those
// weights (inputs.moduleParams → options.weight / options.bias), all at 1e-4.
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { lossFixturesFor, type LossFixture } from '../../reference/fixtures';
import { assertAllClose, type Matrix } from './gradient-checks';
import { labelsTensor } from './modifier-fixtures';

export type LossCore = (embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: never) => tf.Scalar;

export function assertMatchesReference(c: LossFixture, core: LossCore): void {
  const embeddings = c.inputs.embeddings.map((m) => tf.tensor2d(m));
  const paramNames = Object.keys(c.inputs.moduleParams ?? {});
  const params = paramNames.map((k) => tf.tensor(c.inputs.moduleParams![k] as number[]));
  const labels = labelsTensor(c.inputs.labels);
  const f = (...xs: tf.Tensor[]) => {
    const named = Object.fromEntries(paramNames.map((k, i) => [k, xs[embeddings.length + i]]));
    return core(xs.slice(0, embeddings.length) as tf.Tensor2D[], labels, { ...c.options, ...named } as never);
  };
  const { value, grads } = tf.valueAndGrads(f)([...embeddings, ...params]);
  try {
    assertAllClose(value.arraySync() as number, c.expected.loss, { atol: 1e-4, rtol: 1e-4, what: `${c.name} loss` });
    assertAllClose(grads.slice(0, embeddings.length).map((g) => g.arraySync() as Matrix), c.expected.grads, { atol: 1e-4, rtol: 1e-4, what: `${c.name} d loss / d embeddings` });
    for (const [k, expected] of Object.entries(c.expected.paramGrads ?? {})) {
      const i = paramNames.indexOf(k);
      if (i < 0) throw new Error(`${c.name}: expected.paramGrads has '${k}' but inputs.moduleParams does not`);
      assertAllClose(grads[embeddings.length + i].arraySync() as number[], expected as number[], { atol: 1e-4, rtol: 1e-4, what: `${c.name} d loss / d ${k}` });
    }
  } finally {
    tf.dispose([value, ...grads, ...embeddings, ...params, ...(labels ? [labels] : [])]);
  }
}

/** One describe block per backend (wasm, cpu) with one test per reference case of `lossName`. */
export function referenceFixtureSuite(lossName: string, core: LossCore): void {
  for (const backend of ['wasm', 'cpu'] as const) {
    describe(`${lossName} reference fixtures (torch) on ${backend}`, () => {
      before(async () => {
        await ready();
        await useBackend(backend);
      });
      for (const c of lossFixturesFor(lossName)) it(c.name, () => assertMatchesReference(c, core));
    });
  }
}
