/** Status of one sampled pixel of a correspondence map (docs/architecture.md#status-codes); uint8. */
export const CorrespondenceStatus = {
  /** Visible in both views: the stored B position is its match. */
  MATCH: 0,
  /** Its surface point is in B's field of view, but something nearer hides it from B. */
  OCCLUDED: 1,
  /** Its surface point projects outside B's image, or behind B. */
  OUT_OF_VIEW: 2,
  /** A's ray hits nothing. */
  MISS: 3,
} as const;
export type CorrespondenceStatus = (typeof CorrespondenceStatus)[keyof typeof CorrespondenceStatus];

/** Instance id written for pixels whose ray hits nothing. */
export const NO_INSTANCE = 0xffff;
