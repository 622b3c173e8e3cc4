// bench/encode: sentences per second of model.encode(texts, {batchSize, convertTo: 'tensor'}) (tokenization included) for
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
  // A timed pass ends, as the PyTorch twin's does, with all embeddings in one tensor of the framework (here also
  // back in input order, which the twin skips). Reading them into JavaScript is timed apart, on passes of its
  // own afterwards, so the garbage its 4 MB arrays leave is not collected inside the timed passes.
  const seconds: number[] = [];
  const cpuSeconds: number[] = [];
  for (let r = 0; r < c.steps; r++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const out = await model.encode(texts, { batchSize: c.batch, convertTo: 'tensor', showProgressBar: false });
    seconds.push((performance.now() - t0) / 1000);
    cpuSeconds.push(cpuTime(cpu0));
    out.dispose();
  }
  const readbackSeconds: number[] = [];
  for (let r = 0; r < Math.min(c.steps, 5); r++) {
    const out = await model.encode(texts, { batchSize: c.batch, convertTo: 'tensor', showProgressBar: false });
    const t0 = performance.now();
    await out.data();
    readbackSeconds.push((performance.now() - t0) / 1000);
    out.dispose();
  }
  report({ seconds, cpuSeconds, readbackSeconds, threads: Number(info.features.threadsCount ?? 1), backend: info.name, numTensors: tf.memory().numTensors });
});
