// The training loop, read top to bottom as nanoGPT's: sample a batch, compute the loss and its
// gradients, clip, step the optimizer with the scheduled learning rate, log, maybe evaluate, maybe save.
// Samplers, schedules, checkpoints and progress are small helpers it calls.
import * as tf from '@tensorflow/tfjs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ready } from '../backend/select';
import { danfo, type DataFrame } from '../data/dataframe';
import type { SentenceLoss } from '../losses/loss';
import type { SentenceTransformer } from '../sentence-transformer';
import type { SentenceEvaluator } from '../evaluation/evaluator';
import { AdamW } from './adamw';
import { resolveArguments, type ResolvedArguments, type TrainingArguments } from './args';
import { clipGradNorm } from './clip';
import { listCheckpoints, loadCheckpoint, loadModelWeightsInto, saveCheckpoint, type LogRecord, type TrainerState } from './checkpoint';
import { lrLambda, warmupStepsFor } from './schedules';
import { createSamplers, createSchedule, type TrainDataset } from './samplers';
import { ProgressBar } from '../progress/progress-bar';
import { onKernelInterrupt } from '../progress/jupyter-host';

export interface TrainerCallbacks {
  /** After every optimizer step, with the step's loss. */
  onStep?: (info: { step: number; epoch: number; loss: number; learningRate: number }) => void | Promise<void>;
  /** After each evaluation, with its metrics. */
  onEvaluate?: (info: { step: number; metrics: Record<string, number> }) => void | Promise<void>;
  /** After a checkpoint is written. */
  onSave?: (info: { step: number; dir: string }) => void | Promise<void>;
  onTrainEnd?: (info: TrainOutput) => void | Promise<void>;
}

export interface TrainerOptions<D extends TrainDataset = TrainDataset> {
  model: SentenceTransformer;
  /** One dataset, or several by name (each with its own loss). */
  trainDataset: D | Record<string, D>;
  loss: SentenceLoss | Record<string, SentenceLoss>;
  evalDataset?: D | Record<string, D>;
  evaluator?: SentenceEvaluator;
  args?: TrainingArguments;
  callbacks?: TrainerCallbacks;
}

export interface TrainOutput {
  globalStep: number;
  /** Mean training loss over the run. */
  trainingLoss: number;
  /** True when stop() (or a kernel interrupt) ended the run early. */
  stopped: boolean;
  metrics: Record<string, number>;
}

const SINGLE = '__single__';

export class Trainer {
  readonly model: SentenceTransformer;
  readonly args: ResolvedArguments;
  readonly evaluator: SentenceEvaluator | undefined;
  readonly callbacks: TrainerCallbacks;
  /** Every logged record: training loss and learning rate, eval metrics. */
  readonly logs: LogRecord[] = [];
  private readonly datasets: Map<string, TrainDataset>;
  private readonly evalDatasets: Map<string, TrainDataset>;
  private readonly losses: Map<string, SentenceLoss>;
  private stopRequested = false;

  constructor(options: TrainerOptions) {
    this.model = options.model;
    this.args = resolveArguments(options.args);
    this.evaluator = options.evaluator;
    this.callbacks = options.callbacks ?? {};
    this.datasets = named(options.trainDataset, 'trainDataset');
    this.evalDatasets = options.evalDataset ? named(options.evalDataset, 'evalDataset') : new Map();
    this.losses = named(options.loss, 'loss');
    for (const name of this.datasets.keys()) {
      if (!this.losses.has(name) && !this.losses.has(SINGLE)) {
        throw new Error(`Trainer: no loss for dataset '${name}'; pass loss as {${[...this.datasets.keys()].map((n) => `${n}: ...`).join(', ')}}`);
      }
    }
    for (const [name, loss] of this.losses) {
      if (loss.model !== this.model) throw new Error(`Trainer: loss${name === SINGLE ? '' : ` '${name}'`} (${loss.name}) was built for another model than the one being trained`);
    }
  }

  /** Ends training cleanly after the current step; the model stays usable. */
  stop(): void {
    this.stopRequested = true;
  }

  /** The log history as a danfo DataFrame: step, epoch, loss, learning_rate, eval metrics. */
  get history(): DataFrame {
    const keys = [...new Set(this.logs.flatMap((r) => Object.keys(r)))];
    const columns: Record<string, (number | null)[]> = {};
    for (const k of keys) columns[k] = this.logs.map((r) => (k in r ? r[k] : null));
    return new (danfo().DataFrame)(columns);
  }

  private lossFor(name: string): SentenceLoss {
    return this.losses.get(name) ?? this.losses.get(SINGLE)!;
  }

  /** Every variable the optimizer updates: the model's and those the losses own, once each. */
  private trainableVariables(): tf.Variable[] {
    const seen = new Set<tf.Variable>();
    for (const loss of this.losses.values()) for (const v of loss.trainableWeights()) seen.add(v);
    return [...seen];
  }

  private lossOwnedVariables(): tf.Variable[] {
    const modelVars = new Set(this.model.trainableWeights());
    return this.trainableVariables().filter((v) => !modelVars.has(v));
  }

  async train(): Promise<TrainOutput> {
    await ready();
    const a = this.args;
    this.stopRequested = false;
    // --- data: one sampler per dataset, and the order in which datasets take turns ---
    const samplers = createSamplers(a.batchSampler, this.datasets, { batchSize: a.perDeviceTrainBatchSize, dropLast: a.dataloaderDropLast, seed: a.seed });
    const schedule = createSchedule(a.multiDatasetBatchSampler, samplers, a.seed);
    const stepsPerEpoch = schedule.batchesForEpoch(0).length;
    if (stepsPerEpoch === 0) throw new Error('Trainer: the training data gives no batch (empty dataset, or dataloaderDropLast with fewer rows than a batch)');
    const totalSteps = a.maxSteps > 0 ? a.maxSteps : Math.ceil(a.numTrainEpochs * stepsPerEpoch);
    const warmup = warmupStepsFor(totalSteps, a.warmupSteps, a.warmupRatio);
    const loggingSteps = a.loggingSteps ?? Math.max(1, Math.round(totalSteps / 20));
    // --- optimizer over the model's and the losses' weights ---
    const variables = this.trainableVariables();
    const optimizer = new AdamW(variables, { beta1: a.adamBeta1, beta2: a.adamBeta2, epsilon: a.adamEpsilon, weightDecay: a.weightDecay });
    let state: TrainerState = { globalStep: 0, epoch: 0, batchInEpoch: 0, logHistory: [] };
    if (a.resumeFromCheckpoint) {
      const dir = await this.resolveResumeDir(a.resumeFromCheckpoint);
      state = await loadCheckpoint(dir, { model: this.model, lossWeights: this.lossOwnedVariables(), optimizer });
      this.logs.splice(0, this.logs.length, ...state.logHistory);
    }
    const bar = new ProgressBar({ total: totalSteps, description: 'Training', showProgressBar: a.showProgressBar, initial: state.globalStep, unit: 'step' });
    const unsubscribe = onKernelInterrupt(() => this.stop());
    let lossSum = 0;
    let lossCount = 0;
    let windowSum = 0;
    let windowCount = 0;
    let finalMetrics: Record<string, number> = {};
    try {
      let epochBatches = schedule.batchesForEpoch(state.epoch);
      while (state.globalStep < totalSteps && !this.stopRequested) {
        if (state.batchInEpoch >= epochBatches.length) {
          state.epoch += 1;
          state.batchInEpoch = 0;
          epochBatches = schedule.batchesForEpoch(state.epoch);
        }
        // sample a batch
        const { datasetName, indices } = epochBatches[state.batchInEpoch];
        const loss = this.lossFor(datasetName);
        const batch = this.datasets.get(datasetName)!.toBatch(indices);
        // loss and gradients, clipping, optimizer step at the scheduled rate
        const lr = a.learningRate * lrLambda(a.lrSchedulerType, state.globalStep, warmup, totalSteps);
        let stepLoss: number;
        try {
          const { value, grads } = loss.lossAndGradients(batch, variables);
          const { grads: clipped, norm } = clipGradNorm(grads, a.maxGradNorm);
          optimizer.apply(clipped, lr);
          stepLoss = (await value.data())[0];
          tf.dispose([value, norm, clipped]);
        } finally {
          batch.labels?.dispose();
        }
        if (!Number.isFinite(stepLoss)) throw new Error(`Trainer: the loss became ${stepLoss} at step ${state.globalStep + 1} (${loss.name} on dataset ${datasetName === SINGLE ? '' : datasetName}); lower the learning rate or check the labels`);
        state.globalStep += 1;
        state.batchInEpoch += 1;
        lossSum += stepLoss;
        lossCount += 1;
        windowSum += stepLoss;
        windowCount += 1;
        const epochFloat = state.epoch + state.batchInEpoch / epochBatches.length;
        // log
        if (state.globalStep % loggingSteps === 0 || state.globalStep === totalSteps) {
          this.log({ step: state.globalStep, epoch: round(epochFloat), loss: windowSum / windowCount, learning_rate: lr });
          windowSum = 0;
          windowCount = 0;
        }
        bar.step({ loss: stepLoss.toFixed(4), epoch: epochFloat.toFixed(2) });
        await this.callbacks.onStep?.({ step: state.globalStep, epoch: epochFloat, loss: stepLoss, learningRate: lr });
        // maybe evaluate, maybe save
        if (a.evalStrategy === 'steps' && state.globalStep % a.evalSteps! === 0) finalMetrics = await this.evaluateAndLog(state);
        if (a.saveStrategy === 'steps' && state.globalStep % a.saveSteps! === 0) await this.saveCheckpoint(state, optimizer);
        if (state.batchInEpoch === epochBatches.length) {
          if (a.evalStrategy === 'epoch') finalMetrics = await this.evaluateAndLog(state);
          if (a.saveStrategy === 'epoch') await this.saveCheckpoint(state, optimizer);
        }
        // Let the kernel deliver interrupts and display updates between steps.
        await new Promise((r) => setImmediate(r));
      }
      if (a.evalStrategy !== 'no' && !this.logs.some((r) => r.step === state.globalStep && Object.keys(r).some((k) => k.startsWith('eval_') || (this.evaluator?.primaryMetric && k === this.evaluator.primaryMetric)))) {
        finalMetrics = await this.evaluateAndLog(state);
      }
      if (a.loadBestModelAtEnd && state.bestModelCheckpoint) await loadModelWeightsInto(this.model, state.bestModelCheckpoint);
    } finally {
      unsubscribe();
      bar.close();
      optimizer.dispose();
    }
    const out: TrainOutput = { globalStep: state.globalStep, trainingLoss: lossCount ? lossSum / lossCount : NaN, stopped: this.stopRequested, metrics: finalMetrics };
    await this.callbacks.onTrainEnd?.(out);
    return out;
  }

  private log(record: LogRecord): void {
    this.logs.push(record);
  }

  /** Eval loss on the eval datasets and the evaluator's metrics, logged at this step. */
  async evaluate(): Promise<Record<string, number>> {
    await ready();
    const metrics: Record<string, number> = {};
    for (const [name, ds] of this.evalDatasets) {
      const loss = this.lossFor(name);
      const batchSize = this.args.perDeviceEvalBatchSize;
      let sum = 0;
      let n = 0;
      for (let start = 0; start < ds.length; start += batchSize) {
        const indices = Array.from({ length: Math.min(batchSize, ds.length - start) }, (_, i) => start + i);
        const batch = ds.toBatch(indices);
        const value = tf.tidy(() => loss.forward(batch));
        sum += (await value.data())[0] * indices.length;
        n += indices.length;
        value.dispose();
        batch.labels?.dispose();
      }
      metrics[name === SINGLE ? 'eval_loss' : `eval_${name}_loss`] = sum / Math.max(1, n);
    }
    if (this.evaluator) Object.assign(metrics, (await this.evaluator.evaluate(this.model)).metrics);
    return metrics;
  }

  private async evaluateAndLog(state: TrainerState): Promise<Record<string, number>> {
    const metrics = await this.evaluate();
    this.log({ step: state.globalStep, epoch: round(state.epoch), ...metrics });
    await this.callbacks.onEvaluate?.({ step: state.globalStep, metrics });
    const key = this.args.metricForBestModel ?? this.evaluator?.primaryMetric ?? 'eval_loss';
    if (key in metrics) {
      const greater = this.args.greaterIsBetter ?? !key.endsWith('loss');
      const v = metrics[key];
      if (state.bestMetric === undefined || (greater ? v > state.bestMetric : v < state.bestMetric)) {
        state.bestMetric = v;
        state.bestModelCheckpoint = this.args.outputDir ? join(this.args.outputDir, `checkpoint-${state.globalStep}`) : undefined;
      }
    } else if (this.args.loadBestModelAtEnd) {
      throw new Error(`Trainer: metricForBestModel '${key}' is not among the evaluation metrics (${Object.keys(metrics).join(', ')})`);
    }
    return metrics;
  }

  private async saveCheckpoint(state: TrainerState, optimizer: AdamW): Promise<void> {
    const outputDir = this.args.outputDir!;
    const dir = join(outputDir, `checkpoint-${state.globalStep}`);
    state.logHistory = this.logs.slice();
    await saveCheckpoint(dir, { model: this.model, lossWeights: this.lossOwnedVariables(), optimizer, state });
    await this.callbacks.onSave?.({ step: state.globalStep, dir });
    const limit = this.args.saveTotalLimit;
    if (limit !== undefined && limit > 0) {
      const all = await listCheckpoints(outputDir);
      const keep = new Set(all.slice(-limit).map((c) => c.dir));
      if (state.bestModelCheckpoint) keep.add(state.bestModelCheckpoint);
      for (const c of all) if (!keep.has(c.dir)) await rm(c.dir, { recursive: true, force: true });
    }
  }

  private async resolveResumeDir(resume: string | boolean): Promise<string> {
    if (typeof resume === 'string') return resume;
    if (!this.args.outputDir) throw new Error('Trainer: resumeFromCheckpoint: true needs outputDir');
    const all = await listCheckpoints(this.args.outputDir);
    if (all.length === 0) throw new Error(`Trainer: no checkpoint-<step> folder in ${this.args.outputDir} to resume from`);
    return all[all.length - 1].dir;
  }
}

function named<T>(value: T | Record<string, T>, what: string): Map<string, T> {
  if (value && typeof value === 'object' && !isSingle(value)) {
    const entries = Object.entries(value as Record<string, T>);
    if (entries.length === 0) throw new Error(`Trainer: ${what} is an empty object`);
    return new Map(entries);
  }
  return new Map([[SINGLE, value as T]]);
}

// A Dataset or a loss is a class instance; a dictionary of them is a plain object.
function isSingle(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto !== Object.prototype && proto !== null;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
