// A model whose embeddings are known exactly: one word per text, each word a 2-d unit vector at a
// chosen angle (a StaticEmbedding from GloVe-format text), so cosine similarities are cos(Δangle).
import { SentenceTransformer } from '../../../../sdk/src/sentence-transformer';
import { StaticEmbedding } from '../../../../sdk/src/modules/static-embedding';

export function geometryModel(anglesInDegrees: Record<string, number>): SentenceTransformer {
  const lines = Object.entries(anglesInDegrees).map(([word, deg]) => {
    const r = (deg * Math.PI) / 180;
    return `${word} ${Math.cos(r)} ${Math.sin(r)}`;
  });
  return new SentenceTransformer([StaticEmbedding.fromGloveText(lines.join('\n'))]);
}

export function vectorOf(deg: number): [number, number] {
  const r = (deg * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

export function cosDeg(a: number, b: number): number {
  return Math.cos(((a - b) * Math.PI) / 180);
}
