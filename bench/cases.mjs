// The cases of `npm run bench`. Paired cases name an SDK worker (bench/*.ts) and its PyTorch twin
// (bench/pytorch/*.py) that both receive the same JSON case; the others run on their own.
import { runCachedMnrl } from './cached-mnrl-case.mjs';
import { runKernelStartup } from './kernel-case.mjs';

const MINILM = { hiddenSize: 384, numLayers: 6, intermediateSize: 1536 };

/** FFN-shaped product [1024, 384] · [384, 1536], the largest matmul of a MiniLM layer. */
const MATMUL = { m: 1024, k: 384, n: 1536 };

export function CASES(quick) {
  const steps = (full, short) => (quick ? short : full);
  return [
    {
      kind: 'paired',
      name: 'static-mnrl',
      title: 'StaticEmbedding (vocab 30522, dim 256) + MNRL',
      sdkScript: 'train-step.ts',
      torchScript: 'train_step.py',
      unit: 'step',
      model: { kind: 'static', dim: 256 },
      loss: 'mnrl',
      batch: 128,
      warmup: 2,
      steps: steps(10, 3),
      seed: 1,
      timeoutSec: 300,
    },
    {
      kind: 'paired',
      name: 'minilm-mnrl',
      title: 'Transformer MiniLM-L6 shape, seq 64 + MNRL',
      sdkScript: 'train-step.ts',
      torchScript: 'train_step.py',
      unit: 'step',
      model: { kind: 'transformer', preset: 'minilm-l6', maxSeqLength: 64 },
      loss: 'mnrl',
      batch: 32,
      fallbackBatch: 16,
      minWords: 70,
      warmup: 1,
      steps: steps(2, 1),
      maxRounds: 2,
      seed: 1,
      timeoutSec: 900,
      flopsPeak: {
        kind: 'paired',
        name: 'matmul-peak',
        title: `[${MATMUL.m}, ${MATMUL.k}]·[${MATMUL.k}, ${MATMUL.n}]`,
        sdkScript: 'matmul-peak.ts',
        torchScript: 'matmul_peak.py',
        unit: 'call',
        itemsPerUnit: 2 * MATMUL.m * MATMUL.k * MATMUL.n,
        matmul: MATMUL,
        warmup: 2,
        steps: steps(20, 5),
        seed: 1,
        timeoutSec: 300,
      },
    },
    {
      kind: 'paired',
      name: 'small-cosent',
      title: 'small Transformer (4 layers, 256 hidden) + CoSENT',
      sdkScript: 'train-step.ts',
      torchScript: 'train_step.py',
      unit: 'step',
      model: { kind: 'transformer', preset: 'small', maxSeqLength: 64 },
      loss: 'cosent',
      batch: 32,
      warmup: 1,
      steps: steps(6, 2),
      seed: 1,
      timeoutSec: 600,
    },
    {
      kind: 'paired',
      name: 'encode-static',
      title: 'encode, StaticEmbedding dim 256',
      sdkScript: 'encode.ts',
      torchScript: 'encode.py',
      unit: 'pass',
      unitLabel: 'sentences/s',
      itemsPerUnit: 4096,
      texts: 4096,
      model: { kind: 'static', dim: 256 },
      batch: 64,
      // A pass takes 15-40 ms. The SDK's first ~8 passes are not steady state (JIT tier-up, the tokenizer's cache
      // filling, then the one mark-compact that follows: a 45-75 ms pass around the 7th), PyTorch's first few
      // are slow too, so both sides warm up on 10 whole passes and time 20.
      warmup: 10,
      warmupFullPass: true,
      steps: steps(20, 3),
      seed: 1,
      timeoutSec: 300,
    },
    {
      kind: 'paired',
      name: 'encode-minilm',
      title: 'encode, Transformer MiniLM-L6 shape (max seq 128)',
      sdkScript: 'encode.ts',
      torchScript: 'encode.py',
      unit: 'pass',
      unitLabel: 'sentences/s',
      itemsPerUnit: 256,
      texts: 256,
      model: { kind: 'transformer', preset: 'minilm-l6', maxSeqLength: 128 },
      batch: 64,
      warmup: 1,
      steps: 1,
      seed: 1,
      timeoutSec: 600,
    },
    { kind: 'custom', name: 'cached-mnrl-memory', run: runCachedMnrl },
    { kind: 'custom', name: 'kernel-startup', run: runKernelStartup },
  ];
}

/**
 * Matmul FLOPs of one MiniLM-shaped training step: per token and layer 2·(4h² + 2h·ffn) for the dense layers
 * plus 2·2·T·h for attention scores and context, forward; backward costs twice the forward.
 */
export function transformerStepFlops(c) {
  const { hiddenSize: h, numLayers, intermediateSize: ffn } = MINILM;
  const t = c.model.maxSeqLength;
  const tokens = c.batch * 2 * t; // (anchor, positive) columns, every sequence full (minWords)
  const perTokenLayer = 2 * (4 * h * h + 2 * h * ffn) + 2 * 2 * t * h;
  return 3 * tokens * numLayers * perTokenLayer;
}
