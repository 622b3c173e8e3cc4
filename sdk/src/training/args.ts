// Training arguments: the camelCase of sentence-transformers' SentenceTransformerTrainingArguments
// (itself transformers' TrainingArguments) where they exist, with the same defaults unless noted.
import type { LrSchedulerType } from './schedules';
import type { BatchSamplerName, MultiDatasetSamplerName } from '../data/samplers/sampler';

export type { BatchSamplerName };
export type MultiDatasetBatchSamplerName = MultiDatasetSamplerName;
export type IntervalStrategy = 'no' | 'steps' | 'epoch';

export interface TrainingArguments {
  /** Where checkpoints go (needed when saving). */
  outputDir?: string;
  numTrainEpochs?: number;
  /** Overrides numTrainEpochs when > 0. */
  maxSteps?: number;
  perDeviceTrainBatchSize?: number;
  perDeviceEvalBatchSize?: number;
  learningRate?: number;
  warmupRatio?: number;
  warmupSteps?: number;
  lrSchedulerType?: LrSchedulerType;
  weightDecay?: number;
  adamBeta1?: number;
  adamBeta2?: number;
  adamEpsilon?: number;
  maxGradNorm?: number;
  seed?: number;
  batchSampler?: BatchSamplerName;
  multiDatasetBatchSampler?: MultiDatasetBatchSamplerName;
  dataloaderDropLast?: boolean;
  evalStrategy?: IntervalStrategy;
  evalSteps?: number;
  /** Log the mean training loss every N steps (default: about 20 points over the run). */
  loggingSteps?: number;
  saveStrategy?: IntervalStrategy;
  saveSteps?: number;
  saveTotalLimit?: number;
  loadBestModelAtEnd?: boolean;
  /** A metric key such as 'eval_loss' or 'sts-dev_spearman_cosine' (the evaluator's primary metric by default). */
  metricForBestModel?: string;
  greaterIsBetter?: boolean;
  /** A checkpoint folder, or true for the latest checkpoint in outputDir. */
  resumeFromCheckpoint?: string | boolean;
  showProgressBar?: boolean;
}

export type ResolvedArguments = Required<Omit<TrainingArguments, 'outputDir' | 'metricForBestModel' | 'greaterIsBetter' | 'resumeFromCheckpoint' | 'maxSteps' | 'loggingSteps' | 'showProgressBar' | 'evalSteps' | 'saveSteps' | 'saveTotalLimit'>> &
  Pick<TrainingArguments, 'outputDir' | 'metricForBestModel' | 'greaterIsBetter' | 'resumeFromCheckpoint' | 'showProgressBar' | 'saveTotalLimit'> & {
    maxSteps: number;
    loggingSteps: number | undefined;
    evalSteps: number | undefined;
    saveSteps: number | undefined;
  };

export function resolveArguments(a: TrainingArguments = {}): ResolvedArguments {
  const r: ResolvedArguments = {
    outputDir: a.outputDir,
    numTrainEpochs: a.numTrainEpochs ?? 3,
    maxSteps: a.maxSteps ?? -1,
    perDeviceTrainBatchSize: a.perDeviceTrainBatchSize ?? 8,
    perDeviceEvalBatchSize: a.perDeviceEvalBatchSize ?? a.perDeviceTrainBatchSize ?? 8,
    learningRate: a.learningRate ?? 5e-5,
    warmupRatio: a.warmupRatio ?? 0,
    warmupSteps: a.warmupSteps ?? 0,
    lrSchedulerType: a.lrSchedulerType ?? 'linear',
    weightDecay: a.weightDecay ?? 0,
    adamBeta1: a.adamBeta1 ?? 0.9,
    adamBeta2: a.adamBeta2 ?? 0.999,
    adamEpsilon: a.adamEpsilon ?? 1e-8,
    maxGradNorm: a.maxGradNorm ?? 1,
    seed: a.seed ?? 42,
    batchSampler: a.batchSampler ?? 'batch_sampler',
    multiDatasetBatchSampler: a.multiDatasetBatchSampler ?? 'proportional',
    dataloaderDropLast: a.dataloaderDropLast ?? false,
    evalStrategy: a.evalStrategy ?? (a.evalSteps ? 'steps' : 'no'),
    evalSteps: a.evalSteps,
    loggingSteps: a.loggingSteps,
    saveStrategy: a.saveStrategy ?? (a.saveSteps ? 'steps' : 'no'),
    saveSteps: a.saveSteps,
    saveTotalLimit: a.saveTotalLimit,
    loadBestModelAtEnd: a.loadBestModelAtEnd ?? false,
    metricForBestModel: a.metricForBestModel,
    greaterIsBetter: a.greaterIsBetter,
    resumeFromCheckpoint: a.resumeFromCheckpoint,
    showProgressBar: a.showProgressBar,
  };
  const positive = ['numTrainEpochs', 'perDeviceTrainBatchSize', 'perDeviceEvalBatchSize'] as const;
  for (const k of positive) if (!(r[k] > 0)) throw new Error(`TrainingArguments.${k} must be > 0; got ${r[k]}`);
  if (!(r.learningRate >= 0)) throw new Error(`TrainingArguments.learningRate must be >= 0; got ${r.learningRate}`);
  if (r.warmupRatio < 0 || r.warmupRatio > 1) throw new Error(`TrainingArguments.warmupRatio must be in [0, 1]; got ${r.warmupRatio}`);
  if (r.evalStrategy === 'steps' && !(r.evalSteps && r.evalSteps > 0)) throw new Error("TrainingArguments: evalStrategy 'steps' needs evalSteps > 0");
  if (r.saveStrategy === 'steps' && !(r.saveSteps && r.saveSteps > 0)) throw new Error("TrainingArguments: saveStrategy 'steps' needs saveSteps > 0");
  if (r.saveStrategy !== 'no' && !r.outputDir) throw new Error('TrainingArguments: saving checkpoints needs outputDir');
  if (r.loadBestModelAtEnd && (r.saveStrategy === 'no' || r.evalStrategy === 'no')) {
    throw new Error('TrainingArguments: loadBestModelAtEnd needs both an evalStrategy and a saveStrategy');
  }
  if (r.loadBestModelAtEnd && r.saveStrategy !== r.evalStrategy) {
    throw new Error(`TrainingArguments: loadBestModelAtEnd needs saveStrategy to match evalStrategy (${r.saveStrategy} vs ${r.evalStrategy})`);
  }
  if (r.loadBestModelAtEnd && r.saveStrategy === 'steps' && r.saveSteps! % r.evalSteps! !== 0) {
    throw new Error(`TrainingArguments: loadBestModelAtEnd needs saveSteps (${r.saveSteps}) to be a multiple of evalSteps (${r.evalSteps})`);
  }
  return r;
}
