// bench/encode: sentences per second of model.encode(texts, {batchSize}) (tokenization included) for
// Wikipedia sentences. Writes the token ids of each batch, in encode's own longest-first order, to
// case.inputsFile for the PyTorch twin (bench/pytorch/encode.py).
//   node --import tsx bench/encode.ts --case '<JSON>'
import { tf, ready } from '../sdk/src';
import { buildModel, encodeColumns, cpuTime, parseCase, report, runWorker, wikiSentences, writeInputs } from './bench-inputs';

runWorker(async () => {
  const c = parseCase(process.argv) as ReturnType<typeof parseCase> & { texts: number; warmupFullPass?: boolean };
  const info = await ready();
  const model = buildModel(c.model, c.seed);
  const all = wikiSentences();
  const texts = Array.from({ length: c.texts }, (_, i) => all[i % all.length]);
  if (c.inputsFile) {
    // encode() sorts by character length, longest first, then batches: the same batches for PyTorch.
    const order = texts.map((t, i) => [t.length, i] as const).sort((a, b) => b[0] - a[0]).map(([, i]) => texts[i]);
    const batches = [];
    for (let s = 0; s < order.length; s += c.batch) batches.push(encodeColumns(model, [order.slice(s, s + c.batch)])[0]);
    writeInputs(c.inputsFile, batches);
  }
  // Warm-up on one batch, or on whole passes (warmupFullPass), then timed passes over all texts.
  const warmTexts = c.warmupFullPass ? texts : texts.slice(0, c.batch);
  for (let r = 0; r < c.warmup; r++) (await model.encode(warmTexts, { batchSize: c.batch, convertTo: 'tensor', showProgressBar: false })).dispose();
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  for (let r = 0; r < c.steps; r++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const out = await model.encode(texts, { batchSize: c.batch, convertTo: 'tensor', showProgressBar: false });
    await out.data();
    out.dispose();
    seconds.push((performance.now() - t0) / 1000);
    cpuSeconds.push(cpuTime(cpu0));
  }
  report({ seconds, cpuSeconds, threads: Number(info.features.threadsCount ?? 1), backend: info.name, numTensors: tf.memory().numTensors });
});
