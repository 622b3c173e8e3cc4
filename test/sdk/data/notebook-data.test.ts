// Every dataset the notebooks use loads, with its expected splits, columns, label column and row
// counts, and passes validation; every folder carries its PROVENANCE.md and is listed in the README.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDatasetDict } from '../../../sdk/src/data/load';
import { inspectDataset } from '../../../sdk/src/data/validate';
import { StaticEmbedding } from '../../../sdk/src/modules/static-embedding';
import { ready } from '../../../sdk/src/backend';

const data = join(__dirname, '..', '..', '..', 'notebooks', 'data');

interface Expected {
  subset?: string;
  columns: string[];
  label: string | undefined;
  rows: Record<string, number>;
}

const EXPECTED: Record<string, Expected[]> = {
  stsb: [{ columns: ['sentence1', 'sentence2', 'score', 'source'], label: 'score', rows: { train: 2999, validation: 625, test: 625 } }],
  snli: [{ columns: ['premise', 'hypothesis', 'label', 'label_text'], label: 'label', rows: { train: 6882, validation: 1470, test: 1472 } }],
  'snli-pairs-triplets': [
    { subset: 'pairs', columns: ['anchor', 'positive'], label: undefined, rows: { train: 2368, validation: 501, test: 499 } },
    { subset: 'triplets', columns: ['anchor', 'positive', 'negative'], label: undefined, rows: { train: 2209, validation: 482, test: 476 } },
  ],
  banking77: [{ columns: ['text', 'label', 'label_text'], label: 'label', rows: { train: 10003, test: 3080 } }],
  'banking77-pairs': [{ columns: ['sentence1', 'sentence2', 'label'], label: 'label', rows: { train: 5000, test: 1000 } }],
  'wiki-sentences': [{ columns: ['text'], label: undefined, rows: { train: 10000 } }],
  'tatoeba-parallel': [{ columns: ['english', 'non_english', 'lang'], label: undefined, rows: { train: 7200, validation: 800 } }],
  'boolq-retrieval': [
    { subset: 'pairs', columns: ['query', 'passage', 'title'], label: undefined, rows: { train: 2755, test: 515 } },
    { subset: 'triplets', columns: ['query', 'positive', 'negative'], label: undefined, rows: { train: 2755, test: 515 } },
  ],
};

test('notebooks/data holds exactly the expected folders, each with PROVENANCE.md, all listed in the README', () => {
  const folders = readdirSync(data, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  assert.deepEqual(folders, [...Object.keys(EXPECTED), 'glove-twitter-25d-12k'].sort());
  const readme = readFileSync(join(data, 'README.md'), 'utf8');
  for (const f of folders) {
    assert.ok(existsSync(join(data, f, 'PROVENANCE.md')), `${f}/PROVENANCE.md`);
    assert.match(readme, new RegExp(`\\| \`${f}/\` \\|`), `README row for ${f}`);
  }
});

for (const [folder, subsets] of Object.entries(EXPECTED)) {
  test(`${folder} loads with the expected splits, columns and rows, and validates`, async () => {
    for (const e of subsets) {
      const splits = await loadDatasetDict(join(data, folder), { subset: e.subset });
      assert.deepEqual(Object.keys(splits), Object.keys(e.rows), `${folder} ${e.subset ?? ''} splits`);
      for (const [split, rows] of Object.entries(e.rows)) {
        const ds = splits[split];
        assert.equal(ds.length, rows, `${folder}/${split} rows`);
        assert.deepEqual(ds.columnNames, e.columns, `${folder}/${split} columns`);
        assert.equal(ds.labelColumn, e.label, `${folder}/${split} label`);
        const report = inspectDataset(ds, { labels: e.label === 'score' ? 'float' : e.label ? 'class' : undefined });
        assert.deepEqual(report.issues.map((i) => i.message), [], `${folder}/${split} is clean`);
      }
    }
  });
}

test('glove-twitter-25d-12k: 11,925 well-formed lines of a word and 25 numbers; loads as a StaticEmbedding', async () => {
  const file = join(data, 'glove-twitter-25d-12k', 'vectors.txt');
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 11925);
  lines.forEach((l, i) => {
    const parts = l.split(' ');
    assert.ok(parts.length === 26 && parts.slice(1).every((v) => Number.isFinite(Number(v))), `line ${i + 1}`);
  });
  await ready();
  // The first 2,000 words keep this test fast (building the word-level tokenizer grows with the vocabulary).
  const m = await StaticEmbedding.fromGlove(file, { maxWords: 2000 });
  assert.deepEqual(m.embedding.shape, [2000 + 2, 25]);
  m.embedding.dispose();
});
