// Row types of the converters' outputs, named after the Loss Overview's formats.

export type AnchorPositive = { anchor: string; positive: string };
export type Triplet = { anchor: string; positive: string; negative: string };
export type PairWithLabel = { sentence1: string; sentence2: string; label: number };
export type DamagedOriginal = { damaged_sentence: string; original_sentence: string };
