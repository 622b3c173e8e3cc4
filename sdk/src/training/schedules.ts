// Learning-rate schedules of transformers' get_scheduler, as a multiplier of the base rate at each
// step (the Trainer reads it before every optimizer step, then advances).

export type LrSchedulerType = 'linear' | 'cosine' | 'constant' | 'constant_with_warmup';
export const LR_SCHEDULER_TYPES: readonly LrSchedulerType[] = ['linear', 'cosine', 'constant', 'constant_with_warmup'];

/** The multiplier λ(step) for 0-based optimizer steps; lr = baseLr · λ. */
export function lrLambda(type: LrSchedulerType, step: number, warmupSteps: number, totalSteps: number): number {
  if (type === 'constant') return 1;
  if (step < warmupSteps) return step / Math.max(1, warmupSteps);
  switch (type) {
    case 'constant_with_warmup':
      return 1;
    case 'linear':
      return Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    case 'cosine': {
      const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
      return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * 0.5 * 2 * progress)));
    }
    default:
      throw new Error(`lrSchedulerType must be one of ${LR_SCHEDULER_TYPES.join(', ')}; got '${String(type)}'`);
  }
}

/** warmupSteps wins over warmupRatio, as in TrainingArguments.get_warmup_steps. */
export function warmupStepsFor(totalSteps: number, warmupSteps = 0, warmupRatio = 0): number {
  return warmupSteps > 0 ? warmupSteps : Math.ceil(totalSteps * warmupRatio);
}
