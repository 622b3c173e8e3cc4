// InformationRetrievalEvaluator (sentence-transformers): retrieve, for every query, the top documents of a
// corpus by embedding similarity and score the ranking against the known relevant documents. Metrics per
// score function <fn> (the model's similarity by default, named e.g. 'cosine'):
//   <fn>_accuracy@{1,3,5,10}, <fn>_precision@{1,3,5,10}, <fn>_recall@{1,3,5,10}, <fn>_ndcg@10,
//   <fn>_mrr@10, <fn>_map@100        (formulas in retrieval-metrics.ts; cutoffs are options)
// Primary: mainScoreFunction's ndcg@max, else the best score function's ndcg@max.
// Inputs as sentence-transformers: queries {qid: text}, corpus {cid: text}, relevantDocs {qid: cids}.
// Queries without relevant documents are skipped. The corpus is encoded and searched chunk by chunk.
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { ProgressBar } from '../progress/progress-bar';
import { encodeToTensor } from '../util/embeddings-input';
import { mergeHits, resolveScoreFunction, semanticSearch, type ScoreFunction, type SearchHit } from '../util/semantic-search';
import { checkTexts, readColumns, type ColumnSource } from './columns';
import type { EncodeSettings } from './embedding-scores';
import { SentenceEvaluator, type EvaluationResult } from './evaluator';
import { checkCutoffs, DEFAULT_RETRIEVAL_CUTOFFS, maxCutoff, retrievalMetrics, type RetrievalCutoffs } from './retrieval-metrics';

type IdMap<V> = Readonly<Record<string, V>> | ReadonlyMap<string, V>;

export interface InformationRetrievalEvaluatorOptions extends EncodeSettings, Partial<RetrievalCutoffs> {
  /** Query id → query text. */
  queries: IdMap<string>;
  /** Document id → document text. */
  corpus: IdMap<string>;
  /** Query id → ids of its relevant documents. */
  relevantDocs: IdMap<Iterable<string>>;
  /** Documents encoded and searched at once. Default 50000. */
  corpusChunkSize?: number;
  /** Metric prefix. Default ''. */
  name?: string;
  /** Named score functions (higher = more similar). Default: { [model.similarityFnName]: model.similarity }. */
  scoreFunctions?: Readonly<Record<string, ScoreFunction>>;
  /** The score function whose ndcg is primary. */
  mainScoreFunction?: string;
}

const NAME = 'InformationRetrievalEvaluator';

export interface InformationRetrievalFromDatasetOptions extends Omit<InformationRetrievalEvaluatorOptions, 'queries' | 'corpus' | 'relevantDocs'> {
  /** The (query, relevant document) columns. Default ['anchor', 'positive']. */
  columns?: [string, string];
  /** Columns whose texts join the corpus as non-relevant documents, e.g. ['negative']. Default none. */
  extraCorpusColumns?: string[];
}

function entriesOf<V>(m: IdMap<V>, what: string): [string, V][] {
  if (m instanceof Map) return [...m.entries()];
  if (m === null || typeof m !== 'object') throw new Error(`${NAME}: ${what} must be an object or Map of id → value; got ${m === null ? 'null' : typeof m}`);
  return Object.entries(m as Record<string, V>);
}

export class InformationRetrievalEvaluator extends SentenceEvaluator {
  readonly name: string;
  readonly queryIds: string[];
  readonly queries: string[];
  readonly corpusIds: string[];
  readonly corpus: string[];
  readonly relevantDocs: Map<string, Set<string>>;
  readonly cutoffs: RetrievalCutoffs;
  private readonly options: InformationRetrievalEvaluatorOptions;

  constructor(options: InformationRetrievalEvaluatorOptions) {
    super();
    this.relevantDocs = new Map(
      entriesOf(options.relevantDocs, 'relevantDocs').map(([qid, docs]) => {
        if (typeof docs === 'string' || docs == null || typeof (docs as Iterable<string>)[Symbol.iterator] !== 'function') {
          throw new Error(`${NAME}: relevantDocs['${qid}'] must be an array or Set of document ids; got ${typeof docs === 'string' ? `string "${docs}"` : String(docs)}`);
        }
        return [qid, new Set([...docs].map(String))];
      }),
    );
    const queries = entriesOf(options.queries, 'queries').filter(([qid]) => (this.relevantDocs.get(qid)?.size ?? 0) > 0);
    if (queries.length === 0) throw new Error(`${NAME}: no query has relevant documents (check that relevantDocs uses the query ids)`);
    this.queryIds = queries.map(([qid]) => qid);
    this.queries = checkTexts(NAME, 'queries', queries.map(([, text]) => text));
    const corpus = entriesOf(options.corpus, 'corpus');
    if (corpus.length === 0) throw new Error(`${NAME}: corpus is empty`);
    this.corpusIds = corpus.map(([cid]) => cid);
    this.corpus = checkTexts(NAME, 'corpus', corpus.map(([, text]) => text));
    this.cutoffs = {
      accuracyAtK: options.accuracyAtK ?? DEFAULT_RETRIEVAL_CUTOFFS.accuracyAtK,
      precisionRecallAtK: options.precisionRecallAtK ?? DEFAULT_RETRIEVAL_CUTOFFS.precisionRecallAtK,
      mrrAtK: options.mrrAtK ?? DEFAULT_RETRIEVAL_CUTOFFS.mrrAtK,
      ndcgAtK: options.ndcgAtK ?? DEFAULT_RETRIEVAL_CUTOFFS.ndcgAtK,
      mapAtK: options.mapAtK ?? DEFAULT_RETRIEVAL_CUTOFFS.mapAtK,
    };
    checkCutoffs(NAME, this.cutoffs);
    const chunk = options.corpusChunkSize ?? 50000;
    if (!Number.isInteger(chunk) || chunk < 1) throw new Error(`${NAME}: corpusChunkSize must be a positive integer; got ${chunk}`);
    if (options.scoreFunctions) {
      for (const [n, f] of Object.entries(options.scoreFunctions)) resolveScoreFunction(f, `${NAME} scoreFunctions.${n}`);
    }
    if (options.mainScoreFunction && options.scoreFunctions && !(options.mainScoreFunction in options.scoreFunctions)) {
      throw new Error(`${NAME}: mainScoreFunction '${options.mainScoreFunction}' is not among scoreFunctions ${Object.keys(options.scoreFunctions).join(', ')}`);
    }
    this.name = options.name ?? '';
    this.options = options;
  }

  /**
   * Builds queries, corpus and relevant documents from pair rows: every distinct query text is a query, every
   * distinct document text a corpus entry, and each row marks its document relevant to its query (a query on
   * several rows gets several relevant documents). Ids are 'q0', 'q1', ... and 'd0', 'd1', ... in row order.
   */
  static fromDataset(dataset: ColumnSource, options: InformationRetrievalFromDatasetOptions = {}): InformationRetrievalEvaluator {
    const { columns = ['anchor', 'positive'], extraCorpusColumns = [], ...rest } = options;
    const [queryTexts, docTexts, ...extra] = readColumns(NAME, dataset, [...columns, ...extraCorpusColumns]).map((values, i) =>
      checkTexts(NAME, `column '${[...columns, ...extraCorpusColumns][i]}'`, values),
    );
    const queries = new Map<string, string>();
    const corpus = new Map<string, string>();
    const relevantDocs = new Map<string, Set<string>>();
    const idOf = (ids: Map<string, string>, prefix: string, text: string): string => {
      let id = ids.get(text);
      if (id === undefined) ids.set(text, (id = `${prefix}${ids.size}`));
      return id;
    };
    queryTexts.forEach((q, row) => {
      const qid = idOf(queries, 'q', q);
      const cid = idOf(corpus, 'd', docTexts[row]);
      if (!relevantDocs.has(qid)) relevantDocs.set(qid, new Set());
      relevantDocs.get(qid)!.add(cid);
    });
    for (const texts of extra) for (const t of texts) idOf(corpus, 'd', t);
    const invert = (ids: Map<string, string>) => new Map([...ids].map(([text, id]) => [id, text]));
    return new InformationRetrievalEvaluator({ ...rest, queries: invert(queries), corpus: invert(corpus), relevantDocs });
  }

  /** Best hits (corpus row indices) per score function and query. */
  private async search(model: SentenceTransformer, scoreFunctions: Record<string, ScoreFunction>): Promise<Record<string, SearchHit[][]>> {
    const k = maxCutoff(this.cutoffs);
    const chunkSize = this.options.corpusChunkSize ?? 50000;
    const names = Object.keys(scoreFunctions);
    const hits: Record<string, SearchHit[][]> = Object.fromEntries(names.map((n) => [n, this.queries.map(() => [])]));
    const queryEmb = await encodeToTensor(model, this.queries, this.options);
    const chunks = Math.ceil(this.corpus.length / chunkSize);
    const bar = new ProgressBar({ total: chunks, description: 'Corpus chunks', showProgressBar: chunks > 1 ? this.options.showProgressBar : false });
    try {
      for (let start = 0; start < this.corpus.length; start += chunkSize) {
        const chunk = await encodeToTensor(model, this.corpus.slice(start, start + chunkSize), { ...this.options, showProgressBar: false });
        try {
          for (const n of names) {
            const found = await semanticSearch(queryEmb, chunk, { topK: k, scoreFunction: scoreFunctions[n] });
            found.forEach((row, q) => {
              hits[n][q] = mergeHits(hits[n][q], row.map((h) => ({ corpusId: h.corpusId + start, score: h.score })), k);
            });
          }
        } finally {
          chunk.dispose();
        }
        bar.update(1);
      }
    } finally {
      queryEmb.dispose();
      bar.close();
    }
    return hits;
  }

  async evaluate(model: SentenceTransformer): Promise<EvaluationResult> {
    const scoreFunctions: Record<string, ScoreFunction> = this.options.scoreFunctions
      ? { ...this.options.scoreFunctions }
      : { [model.similarityFnName]: (a: tf.Tensor2D, b: tf.Tensor2D) => model.similarity(a, b) };
    const main = this.options.mainScoreFunction;
    if (main && !(main in scoreFunctions)) {
      throw new Error(`${NAME}: mainScoreFunction '${main}' is not among the score functions ${Object.keys(scoreFunctions).join(', ')}`);
    }
    const hits = await this.search(model, scoreFunctions);
    const relevant = this.queryIds.map((qid) => this.relevantDocs.get(qid)!);
    const metrics: Record<string, number> = {};
    const names = Object.keys(scoreFunctions).sort();
    for (const n of names) {
      const rankings = hits[n].map((row) => row.map((h) => this.corpusIds[h.corpusId]));
      for (const [m, v] of Object.entries(retrievalMetrics(rankings, relevant, this.cutoffs))) metrics[`${n}_${m}`] = v;
    }
    const ndcgKey = `ndcg@${Math.max(...this.cutoffs.ndcgAtK)}`;
    const primary = main ?? names.reduce((best, n) => (metrics[`${n}_${ndcgKey}`] > metrics[`${best}_${ndcgKey}`] ? n : best));
    return this.result(metrics, `${primary}_${ndcgKey}`);
  }
}
