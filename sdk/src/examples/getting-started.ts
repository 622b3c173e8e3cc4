// The getting-started example `npm start` runs: build a small model on the bundled tokenizer, embed
// sentences, compare them, save in the sentence-transformers format and load it back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentenceTransformer, StaticEmbedding, Transformer, Pooling, Normalize, defaultTokenizer, ready } from '../index';

async function main(): Promise<void> {
  const backend = await ready();
  console.log(`backend: ${backend.name}`);
  const tokenizer = defaultTokenizer();
  const models = {
    static: new SentenceTransformer([StaticEmbedding.random(tokenizer, { dim: 64, seed: 1 })]),
    transformer: new SentenceTransformer([Transformer.random(tokenizer, { preset: 'tiny', seed: 1 }), new Pooling(64), new Normalize()]),
  };
  const sentences = ['A man is playing a flute.', 'A man plays the flute.', 'The stock market fell sharply today.'];
  const dir = mkdtempSync(join(tmpdir(), 'sentence-tfjs-start-'));
  try {
    for (const [name, model] of Object.entries(models)) {
      console.log(`\n${model.toString()}`);
      const emb = await model.encode(sentences, { convertTo: 'tensor' });
      const sim = model.similarity(emb, emb);
      console.log(`${name}: cosine similarities (untrained):`);
      (await sim.array()).forEach((row, i) => console.log(`  ${sentences[i].padEnd(40)} ${row.map((v) => v.toFixed(3)).join('  ')}`));
      const path = join(dir, name);
      await model.save(path);
      const loaded = await SentenceTransformer.load(path);
      const same = JSON.stringify(await loaded.encode(sentences)) === JSON.stringify(await model.encode(sentences));
      console.log(`saved to a sentence-transformers folder and loaded back: embeddings ${same ? 'identical' : 'DIFFER'}`);
      if (!same) process.exitCode = 1;
      emb.dispose();
      sim.dispose();
      loaded.dispose();
      model.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
