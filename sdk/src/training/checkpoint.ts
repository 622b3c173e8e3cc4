// Checkpoints, as the Hugging Face Trainer lays them out: outputDir/checkpoint-<step>/ holding the model
// (sentence-transformers format), optimizer.safetensors (AdamW moments), loss.safetensors (weights the
// loss owns) and trainer_state.json (step, epoch, position in the epoch, log history, best metric).
// Written atomically; resuming restores every piece into the live model, loss and optimizer.
import * as tf from '@tensorflow/tfjs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeDirAtomically } from '../io/atomic-dir';
import { readJSON, writeJSON } from '../io/json-files';
import { readSafetensorsFile } from '../io/safetensors';
import { takeTensor, writeWeights } from '../io/weights';
import { SentenceTransformer } from '../sentence-transformer';
import type { AdamW } from './adamw';

export type LogRecord = { step: number; epoch: number } & Record<string, number>;

export interface TrainerState {
  globalStep: number;
  /** Epoch counter and the number of batches of it already consumed. */
  epoch: number;
  batchInEpoch: number;
  logHistory: LogRecord[];
  bestMetric?: number;
  bestModelCheckpoint?: string;
  /** Position of each dataset's sampler in a multi-dataset run. */
  samplerPositions?: Record<string, { epoch: number; batch: number }>;
}

export async function saveCheckpoint(
  dir: string,
  parts: { model: SentenceTransformer; lossWeights: tf.Variable[]; optimizer: AdamW; state: TrainerState },
): Promise<void> {
  await writeDirAtomically(dir, async (tmp) => {
    await parts.model.writeFiles(tmp);
    const opt = parts.optimizer.getState();
    try {
      const named = new Map<string, tf.Tensor>();
      opt.m.forEach((t, i) => named.set(`m.${i}`, t));
      opt.v.forEach((t, i) => named.set(`v.${i}`, t));
      await writeWeights(join(tmp, 'optimizer.safetensors'), named);
    } finally {
      tf.dispose([...opt.m, ...opt.v]);
    }
    if (parts.lossWeights.length) {
      await writeWeights(join(tmp, 'loss.safetensors'), new Map(parts.lossWeights.map((v, i) => [`loss.${i}`, v])));
    }
    await writeJSON(join(tmp, 'trainer_state.json'), { ...parts.state, optimizerStep: opt.step });
  });
}

/** Copies a checkpoint's model weights into a live model of the same architecture. */
export async function loadModelWeightsInto(model: SentenceTransformer, dir: string): Promise<void> {
  const saved = await SentenceTransformer.load(dir);
  try {
    const src = saved.trainableWeights();
    const dst = model.trainableWeights();
    if (src.length !== dst.length) throw new Error(`checkpoint ${dir} holds ${src.length} weights, the model has ${dst.length}: not the same architecture`);
    src.forEach((s, i) => {
      if (s.shape.join() !== dst[i].shape.join()) throw new Error(`checkpoint ${dir}: weight ${i} has shape [${s.shape}], the model's is [${dst[i].shape}]`);
    });
    src.forEach((s, i) => dst[i].assign(s));
  } finally {
    saved.dispose();
  }
}

export async function loadCheckpoint(
  dir: string,
  parts: { model: SentenceTransformer; lossWeights: tf.Variable[]; optimizer: AdamW },
): Promise<TrainerState> {
  const state = await readJSON<TrainerState & { optimizerStep: number }>(join(dir, 'trainer_state.json'), 'trainer state');
  await loadModelWeightsInto(parts.model, dir);
  const optFile = join(dir, 'optimizer.safetensors');
  const { tensors } = await readSafetensorsFile(optFile);
  const n = parts.optimizer.variables.length;
  const m = Array.from({ length: n }, (_, i) => takeTensor(tensors, `m.${i}`, parts.optimizer.variables[i].shape, optFile));
  const v = Array.from({ length: n }, (_, i) => takeTensor(tensors, `v.${i}`, parts.optimizer.variables[i].shape, optFile));
  try {
    parts.optimizer.setState({ step: state.optimizerStep, m, v });
  } finally {
    tf.dispose([...m, ...v]);
  }
  if (parts.lossWeights.length) {
    const lossFile = join(dir, 'loss.safetensors');
    const lw = await readSafetensorsFile(lossFile);
    parts.lossWeights.forEach((w, i) => {
      const t = takeTensor(lw.tensors, `loss.${i}`, w.shape, lossFile);
      w.assign(t);
      t.dispose();
    });
  }
  return state;
}

/** checkpoint-<step> folders of an output dir, oldest first. */
export async function listCheckpoints(outputDir: string): Promise<{ step: number; dir: string }[]> {
  let names: string[];
  try {
    names = await readdir(outputDir);
  } catch {
    return [];
  }
  return names
    .map((n) => /^checkpoint-(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), dir: join(outputDir, m[0]) }))
    .sort((a, b) => a.step - b.step);
}
