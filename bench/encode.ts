// bench/encode: sentences per second of encode() on the active backend, for a StaticEmbedding model
// and a MiniLM-L6-size Transformer (6 layers, 384 hidden, 12 heads) at sequence length 128, batch 32.
//   npx tsx bench/encode.ts [--quick]
import { ready, SentenceTransformer, StaticEmbedding, Transformer, Pooling, defaultTokenizer } from '../sdk/src';

const quick = process.argv.includes('--quick');

// Sentences long enough to fill 128 tokens after truncation, so the Transformer runs at seq 128.
function sentences(n: number, words: number): string[] {
  const vocab = 'the a model learns sentence embeddings from pairs of similar texts and ranks them by cosine similarity across the batch'.split(' ');
  return Array.from({ length: n }, (_, i) => Array.from({ length: words }, (_, j) => vocab[(i * 7 + j * 3) % vocab.length]).join(' '));
}

async function measure(model: SentenceTransformer, texts: string[], batchSize: number, repeats: number): Promise<number> {
  await model.encode(texts.slice(0, batchSize), { batchSize }); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await model.encode(texts, { batchSize, showProgressBar: false });
    rates.push(texts.length / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

async function main(): Promise<void> {
  const info = await ready();
  const tok = defaultTokenizer();
  const rows: [string, string, number][] = [];
  const staticModel = new SentenceTransformer([StaticEmbedding.random(tok, { dim: 256, seed: 1 })]);
  rows.push(['StaticEmbedding dim 256', 'batch 32, ~20 tokens', await measure(staticModel, sentences(quick ? 512 : 4096, 20), 32, 3)]);
  staticModel.dispose();
  const mini = new SentenceTransformer([Transformer.random(tok, { preset: 'minilm-l6', maxSeqLength: 128, seed: 1 }), new Pooling(384)]);
  rows.push(['Transformer MiniLM-L6 shape', 'batch 32, seq 128', await measure(mini, sentences(quick ? 64 : 256, 200), 32, quick ? 1 : 3)]);
  mini.dispose();
  console.log(`\nencode throughput on the '${info.name}' backend (${JSON.stringify(info.features)}), median of repeats\n`);
  console.log('| model | shape | sentences/s |');
  console.log('|---|---|---:|');
  for (const [m, s, r] of rows) console.log(`| ${m} | ${s} | ${r.toFixed(1)} |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
