// AdamW (torch.optim.AdamW, as the Hugging Face Trainer uses it): Adam moments with bias correction and
// decoupled weight decay (p ← p − lr·wd·p before the Adam step). Rank-1 weights (biases, LayerNorm
// scales) get no decay, which is the Trainer's default grouping for BERT-style models.
import * as tf from '@tensorflow/tfjs';
import { adamwStep } from '../backend/fused-adamw';

export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

export interface AdamWState {
  step: number;
  /** First and second moments per variable, in the order of the variable list. */
  m: tf.Tensor[];
  v: tf.Tensor[];
}

export class AdamW {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  private step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    readonly variables: tf.Variable[],
    options: AdamWOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    // Inside tidy so the zero tensors the variables start from are freed (variables survive a tidy).
    this.m = tf.tidy(() => variables.map((x) => tf.variable(tf.zerosLike(x), false)));
    this.v = tf.tidy(() => variables.map((x) => tf.variable(tf.zerosLike(x), false)));
  }

  get iterations(): number {
    return this.step;
  }

  /** One update; `grads` maps variable names to gradients (a missing gradient means zero). */
  apply(grads: tf.NamedTensorMap, learningRate: number): void {
    this.step += 1;
    tf.tidy(() => {
      this.variables.forEach((x, i) => {
        const g = grads[x.name];
        if (!g) return;
        // One fused kernel on wasm and cpu (backend/fused-adamw.ts), the same formula as tfjs ops elsewhere.
        const [p, m, v] = adamwStep(x, g, this.m[i], this.v[i], {
          learningRate,
          beta1: this.beta1,
          beta2: this.beta2,
          epsilon: this.epsilon,
          weightDecay: x.rank > 1 ? this.weightDecay : 0,
          step: this.step,
        });
        this.m[i].assign(m);
        this.v[i].assign(v);
        x.assign(p);
      });
    });
  }

  /** Copies of the state, for checkpoints (the caller disposes them). */
  getState(): AdamWState {
    return { step: this.step, m: this.m.map((t) => t.clone()), v: this.v.map((t) => t.clone()) };
  }

  setState(state: AdamWState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) {
      throw new Error(`optimizer state holds ${state.m.length} moments but the optimizer has ${this.m.length} variables`);
    }
    state.m.forEach((t, i) => {
      if (t.shape.join() !== this.m[i].shape.join()) throw new Error(`optimizer state moment ${i} has shape [${t.shape}], expected [${this.m[i].shape}]`);
      this.m[i].assign(t);
      this.v[i].assign(state.v[i]);
    });
    this.step = state.step;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}
