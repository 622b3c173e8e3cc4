// bench/train-step: seconds per training step of the SDK for one case (run.mjs passes it as JSON):
// model.embed(texts, {training: true}) per column → loss functional core → gradients (leanVariableGrads, or
// tf.variableGrads when the case says gradients: 'tfjs') → AdamW.
// The step ends when the loss value is read back, so all its work is done. Writes the token ids of each
// step to case.inputsFile for the PyTorch twin (bench/pytorch/train_step.py).
//   node --import tsx bench/train-step.ts --case '<JSON>'
import { tf, ready } from '../sdk/src';
import { multipleNegativesRankingLoss } from '../sdk/src/losses/multiple-negatives-ranking-loss';
import { cosentLoss } from '../sdk/src/losses/cosent-loss';
import { AdamW } from '../sdk/src/training/adamw';
import { leanVariableGrads } from '../sdk/src/backend/lean-gradients';
import { buildModel, datasetRows, encodeColumns, cpuTime, parseCase, report, runWorker, stepBatch, wasmHeapBytes, writeInputs, type StepInputs } from './bench-inputs';

runWorker(async () => {
  const c = parseCase(process.argv);
  const info = await ready();
  // 'lean' frees the backward pass's intermediates as it goes (backend/lean-gradients.ts); tf.variableGrads
  // keeps them all, which is what makes MiniLM at batch 32 × seq 64 run out of the 4 GiB wasm heap.
  const variableGrads = c.gradients === 'tfjs' ? tf.variableGrads : leanVariableGrads;
  const model = buildModel(c.model, c.seed);
  const vars = model.trainableWeights();
  const optimizer = new AdamW(vars, { weightDecay: c.weightDecay ?? 0.01 });
  const data = datasetRows(c.loss);
  const batches = Array.from({ length: c.warmup + c.steps }, (_, s) => stepBatch(c, data, s));
  if (c.inputsFile) {
    const inputs: StepInputs[] = batches.map((b) => ({ columns: encodeColumns(model, b.columns), labels: b.labels }));
    writeInputs(c.inputsFile, inputs);
  }

  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  const losses: number[] = [];
  for (const batch of batches) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const labels = batch.labels ? tf.tensor1d(batch.labels) : undefined;
    const { value, grads } = variableGrads(() => {
      const embeddings = batch.columns.map((texts) => model.embed(texts, { training: true }));
      return c.loss === 'cosent' ? cosentLoss(embeddings, labels) : multipleNegativesRankingLoss(embeddings);
    }, vars);
    optimizer.apply(grads, c.lr ?? 5e-5);
    losses.push((await value.data())[0]);
    tf.dispose([value, ...Object.values(grads)]);
    labels?.dispose();
    seconds.push((performance.now() - t0) / 1000);
    cpuSeconds.push(cpuTime(cpu0));
  }
  report({
    seconds: seconds.slice(c.warmup),
    cpuSeconds: cpuSeconds.slice(c.warmup),
    losses,
    threads: Number(info.features.threadsCount ?? 1),
    backend: info.name,
    wasmHeapMiB: wasmHeapBytes(tf.backend()) / 2 ** 20,
    gradients: c.gradients ?? 'lean',
    numTensors: tf.memory().numTensors,
  });
});
