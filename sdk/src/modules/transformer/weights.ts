// Every tensor of a BertModel under its Hugging Face name and PyTorch shape ([out, in] for Linear),
// and how it is initialised (BertPreTrainedModel._init_weights).
import type { BertConfig } from './config';

export type WeightKind = 'linear' | 'bias' | 'embedding' | 'norm-weight' | 'norm-bias';

export interface WeightSpec {
  name: string;
  shape: number[];
  kind: WeightKind;
}

function linearSpecs(prefix: string, inDim: number, outDim: number): WeightSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [outDim, inDim], kind: 'linear' },
    { name: `${prefix}.bias`, shape: [outDim], kind: 'bias' },
  ];
}

function normSpecs(prefix: string, dim: number): WeightSpec[] {
  return [
    { name: `${prefix}.weight`, shape: [dim], kind: 'norm-weight' },
    { name: `${prefix}.bias`, shape: [dim], kind: 'norm-bias' },
  ];
}

export function bertWeightSpecs(c: BertConfig): WeightSpec[] {
  const h = c.hiddenSize;
  const specs: WeightSpec[] = [
    { name: 'embeddings.word_embeddings.weight', shape: [c.vocabSize, h], kind: 'embedding' },
    { name: 'embeddings.position_embeddings.weight', shape: [c.maxPositionEmbeddings, h], kind: 'embedding' },
    { name: 'embeddings.token_type_embeddings.weight', shape: [c.typeVocabSize, h], kind: 'embedding' },
    ...normSpecs('embeddings.LayerNorm', h),
  ];
  for (let i = 0; i < c.numLayers; i++) {
    const p = `encoder.layer.${i}`;
    specs.push(
      ...linearSpecs(`${p}.attention.self.query`, h, h),
      ...linearSpecs(`${p}.attention.self.key`, h, h),
      ...linearSpecs(`${p}.attention.self.value`, h, h),
      ...linearSpecs(`${p}.attention.output.dense`, h, h),
      ...normSpecs(`${p}.attention.output.LayerNorm`, h),
      ...linearSpecs(`${p}.intermediate.dense`, h, c.intermediateSize),
      ...linearSpecs(`${p}.output.dense`, c.intermediateSize, h),
      ...normSpecs(`${p}.output.LayerNorm`, h),
    );
  }
  return specs;
}

/** Checkpoints of BertForPreTraining & co. prefix the encoder's names with "bert.". */
export function stripModelPrefix(name: string): string {
  return name.startsWith('bert.') ? name.slice(5) : name;
}
