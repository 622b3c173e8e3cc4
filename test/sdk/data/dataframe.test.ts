import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { Dataset } from '../../../sdk/src/data/dataset';
import { danfo, isDataFrame } from '../../../sdk/src/data/dataframe';
import { scoresToBinary } from '../../../sdk/src/data/converters/scores-to-binary';

const root = join(__dirname, '..', '..', '..');

test('importing danfojs-node keeps the active backend and the one tfjs engine', async () => {
  await ready();
  const backend = tf.getBackend();
  const engine = tf.engine();
  const before = tf.memory().numTensors;
  const dfd = danfo();
  assert.equal(tf.getBackend(), backend);
  assert.equal(tf.engine(), engine);
  // danfo's tfjs is ours: same engine, same Tensor class.
  assert.equal(dfd.tensorflow.engine(), engine);
  const t = dfd.tensorflow.tensor1d([1, 2]);
  assert.ok(t instanceof tf.Tensor);
  t.dispose();
  const df = Dataset.fromColumns({ a: ['x', 'y'], score: [0.5, 1] }).toDataFrame();
  assert.equal(df.shape[0], 2);
  assert.equal(tf.getBackend(), backend);
  assert.equal(tf.memory().numTensors, before);
});

test('danfojs-node imported before the SDK chooses its backend: still one engine, wasm chosen', () => {
  const code = `
    const dfd = require('danfojs-node');
    const tf = require('@tensorflow/tfjs');
    const { ready } = require('./sdk/src/backend/index.ts');
    ready().then((info) => {
      console.log(JSON.stringify({ name: info.name, backend: tf.getBackend(), same: dfd.tensorflow.engine() === tf.engine() }));
    }, (e) => { console.log('ERROR ' + e.message); process.exit(3); });
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
    cwd: root,
    env: { ...process.env, SENTENCE_TFJS_QUIET: '1', SENTENCE_TFJS_BACKEND: '' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop() as string), { name: 'wasm', backend: 'wasm', same: true });
});

test('importing the SDK does not load danfo.js: the first DataFrame does (it holds ~40 MB of heap)', () => {
  const code = `
    const loaded = () => Object.keys(require.cache).some((k) => k.includes('danfojs-node'));
    const sdk = require('./sdk/src/index.ts');
    const atImport = loaded();
    // Trainer.history on a stand-in with one log record (the getter reads only this.logs).
    const h = Object.getOwnPropertyDescriptor(sdk.Trainer.prototype, 'history').get.call({ logs: [{ step: 1, loss: 0.5 }] });
    console.log(JSON.stringify({ atImport, afterHistory: loaded(), columns: h.columns }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, env: { ...process.env, SENTENCE_TFJS_QUIET: '1' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop() as string), { atImport: false, afterHistory: true, columns: ['step', 'loss'] });
});

test('DataFrame round trip keeps columns, order, values, vector cells and the label role', () => {
  const ds = Dataset.fromColumns({
    english: ['hello', 'world'],
    non_english: ['hallo', 'Welt'],
    label: [
      [0.25, -1],
      [2, 3.5],
    ],
  });
  const df = ds.toDataFrame();
  assert.ok(isDataFrame(df));
  assert.deepEqual(df.columns, ['english', 'non_english', 'label']);
  const back = Dataset.fromDataFrame(df);
  assert.deepEqual(back.toRecords(), ds.toRecords());
  assert.equal(back.labelColumn, 'label');

  const sts = Dataset.fromColumns({ sentence1: ['a', 'b', 'c'], sentence2: ['d', 'e', 'f'], score: [0.1, 0.9, 0.5], id: [1, 2, 3] });
  const again = Dataset.fromDataFrame(sts.toDataFrame(), { columns: ['sentence2', 'score'] });
  assert.deepEqual(again.columnNames, ['sentence2', 'score']);
  assert.deepEqual(again.column('score'), [0.1, 0.9, 0.5]);
  assert.equal(again.labelColumn, 'score');
  assert.throws(() => Dataset.fromDataFrame(sts.toDataFrame(), { columns: ['nope'] }), /column 'nope' not in the DataFrame \(it has sentence1, sentence2, score, id\)/);
});

test('DataFrames built by hand, empty and with nulls, convert; converters accept them directly', () => {
  const dfd = danfo();
  const df = new dfd.DataFrame({ text: ['a', null, 'c'], y: [1, 0, 1] });
  const ds = Dataset.fromDataFrame(df, { label: 'y' });
  assert.deepEqual(ds.column('text'), ['a', null, 'c']);
  assert.equal(ds.labelColumn, 'y');

  const empty = Dataset.fromColumns({ a: [] as string[], label: [] as number[] });
  const back = Dataset.fromDataFrame(empty.toDataFrame());
  assert.equal(back.length, 0);
  assert.deepEqual(back.columnNames, ['a', 'label']);

  const pairs = new dfd.DataFrame({ sentence1: ['a', 'b'], sentence2: ['c', 'd'], score: [0.2, 0.8] });
  const binary = scoresToBinary(pairs, { threshold: 0.5 });
  assert.deepEqual(binary.toRecords(), [
    { sentence1: 'a', sentence2: 'c', label: 0 },
    { sentence1: 'b', sentence2: 'd', label: 1 },
  ]);
});
