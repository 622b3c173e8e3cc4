import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { lrLambda, warmupStepsFor } from '../../../sdk/src/training/schedules';
import { AdamW } from '../../../sdk/src/training/adamw';
import { clipGradNorm } from '../../../sdk/src/training/clip';
import { assertClose } from '../../helpers/tf';

before(async () => {
  await ready();
});

test('schedules match transformers get_scheduler at known steps (10 steps, 2 warmup)', () => {
  const at = (type: Parameters<typeof lrLambda>[0]) => [0, 1, 2, 6, 10].map((s) => lrLambda(type, s, 2, 10));
  assert.deepEqual(at('constant'), [1, 1, 1, 1, 1]);
  assert.deepEqual(at('constant_with_warmup'), [0, 0.5, 1, 1, 1]);
  assert.deepEqual(at('linear'), [0, 0.5, 1, 0.5, 0]);
  assertClose(at('cosine'), [0, 0.5, 1, 0.5, 0], 1e-12, 'cosine');
  assertClose([lrLambda('cosine', 4, 2, 10)], [0.5 * (1 + Math.cos(Math.PI * 0.25))], 1e-12, 'cosine quarter');
  assert.equal(warmupStepsFor(100, 0, 0.1), 10);
  assert.equal(warmupStepsFor(100, 7, 0.1), 7, 'warmupSteps wins over warmupRatio');
  assert.equal(warmupStepsFor(95, 0, 0.1), 10, 'ceil, as TrainingArguments');
});

test('AdamW: one step by hand, decoupled decay on matrices only', async () => {
  const w = tf.variable(tf.tensor2d([[1, -2]]));
  const b = tf.variable(tf.tensor1d([1]));
  const count = tf.memory().numTensors;
  const opt = new AdamW([w, b], { weightDecay: 0.01 });
  assert.equal(tf.memory().numTensors, count + 4, 'two moments per variable, nothing else');
  opt.apply({ [w.name]: tf.tensor2d([[0.5, 0.25]]), [b.name]: tf.tensor1d([0.5]) }, 0.1);
  // Step 1: m̂ = g, v̂ = g², update = g/(|g| + eps) = sign(g).
  assertClose(await w.data(), [1 * (1 - 0.001) - 0.1, -2 * (1 - 0.001) - 0.1], 1e-6, 'weight');
  assertClose(await b.data(), [1 - 0.1], 1e-6, 'bias (no decay)');
  const s = opt.getState();
  assert.equal(s.step, 1);
  assertClose(await s.m[0].data(), [0.05, 0.025], 1e-6, 'first moment');
  tf.dispose([...s.m, ...s.v]);
  opt.dispose();
  tf.dispose([w, b]);
});

test('clipGradNorm scales by maxNorm / (norm + 1e-6) only above maxNorm', async () => {
  const { grads, norm } = clipGradNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4]) }, 1);
  assertClose(await norm.data(), [5], 1e-6, 'norm');
  assertClose([...(await grads.a.data()), ...(await grads.b.data())], [3 / (5 + 1e-6), 4 / (5 + 1e-6)], 1e-6, 'clipped');
  const small = clipGradNorm({ a: tf.tensor1d([0.3]) }, 1);
  assertClose(await small.grads.a.data(), [0.3], 1e-7, 'unchanged');
  tf.dispose([norm, grads.a, grads.b, small.norm, small.grads.a]);
});
