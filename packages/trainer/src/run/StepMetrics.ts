/** One line of RUN/metrics.jsonl. */
export interface StepMetrics {
  step: number;
  loss: number;
  /** oxel: the within-image term; vader and clove: the mean cosine similarity to the positive. */
  within: number;
  /** oxel: the between-image term; vader: mean similarity to the queue; clove: to the hard negative. */
  between: number;
  lr: number;
  gradNorm: number;
  stepsPerSecond: number;
  pairsPerSecond: number;
  /** Seconds since this process started training (resets on resume). */
  elapsed: number;
}
