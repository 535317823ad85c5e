import { optionName } from '@oxels/core';
import { TrainerError } from '../../errors.ts';

/** How a view pair becomes training samples (`sampleViewPair`; a run's `TrainConfig.sampling`). */
export interface ViewPairSampleOptions {
  /** N: sampled view-1 pixels per pair. */
  samples: number;
  /** Fraction of the N samples that are positives (known matches), when enough matches exist. */
  positiveFraction: number;
  /** Train on random crops [width, height] of the two views, in pixels; null = whole views. */
  crop: [number, number] | null;
  /**
   * Where view 2's crop window lies. null: at the same place as view 1's. A number s: where view 1's
   * matches land (view 1's window moved by their median displacement), then moved by a uniform random
   * offset of up to s pixels on each axis. Same-place windows keep only matches that moved little and
   * put both pixels of a match at nearly the same crop position, so a descriptor that encodes position
   * in the crop (the zero padding gives it away) meets the loss without looking at the images; the
   * random offset takes that away, and following the matches keeps the large motions.
   */
  cropShift: number | null;
  /**
   * Fraction of the negatives that are local: a matched view-1 pixel paired with a view-2 pixel at a
   * distance in `localRadius` from its true match, instead of two random pixels. Random negatives
   * almost never fall near the match, so descriptors that only encode image position already separate
   * them; local ones ask for appearance at the scale that PCK measures.
   */
  localNegatives: number;
  /** [min, max] distance in pixels of a local negative from the true match. */
  localRadius: [number, number];
  /**
   * Fraction of the negatives that are mined at each step (`mineHardNegatives`): a matched view-1 pixel
   * paired with the view-2 pixel its descriptor is nearest to, outside `hardRadius` of the true match.
   * These are the confusions nearest-neighbour matching makes (the same paint or tile elsewhere), which
   * random and local negatives rarely hit.
   */
  hardNegatives: number;
  /** Pixels within this distance (on both axes) of the true match are never mined as negatives. */
  hardRadius: number;
}

/**
 * 3D training's crop [width, height] when none is given; the train CLI fits it to smaller views
 * (`fitDefaultCrop`).
 */
export const DEFAULT_CROP: readonly [number, number] = Object.freeze([128, 128] as const);

/** The sampling of a 3D training run when no flag says otherwise (the one place these defaults live). */
export const DEFAULT_VIEW_PAIR_SAMPLE_OPTIONS: Readonly<ViewPairSampleOptions> = Object.freeze({
  samples: 1024,
  positiveFraction: 1 / 8,
  crop: [DEFAULT_CROP[0], DEFAULT_CROP[1]],
  cropShift: 64,
  localNegatives: 0,
  localRadius: [3, 16],
  hardNegatives: 0,
  hardRadius: 8,
} satisfies ViewPairSampleOptions);

/**
 * Checks sampling options once, where a run's config is checked (`runTraining`); `sampleViewPair`
 * trusts them. The messages name the train CLI's flags, which set these options. Whether a crop fits
 * the views is the data's question (`checkCropFits`, and `sampleViewPair` per pair).
 * @throws TrainerError BAD_ARGUMENT naming the first bad option and its value
 */
export function validateViewPairSampleOptions(o: ViewPairSampleOptions): void {
  const bad = (what: string) => {
    throw new TrainerError('BAD_ARGUMENT', `train: ${what}`);
  };
  if (!Number.isInteger(o.samples) || o.samples < 1)
    bad(`${optionName('samples')} must be a positive integer (got ${o.samples})`);
  if (!(o.positiveFraction > 0 && o.positiveFraction <= 1))
    bad(`${optionName('positiveFraction')} must be in (0, 1] (got ${o.positiveFraction})`);
  if (o.crop !== null && !o.crop.every((side) => Number.isInteger(side) && side >= 1))
    bad(
      `${optionName('crop')} must be WxH with sides of at least 1 pixel, or none (got ${o.crop.join('x')})`,
    );
  if (o.cropShift !== null && !(o.cropShift >= 0))
    bad(`${optionName('cropShift')} must be a number of pixels >= 0 or none (got ${o.cropShift})`);
  if (!(o.localNegatives >= 0 && o.localNegatives <= 1))
    bad(`${optionName('localNegatives')} must be in [0, 1] (got ${o.localNegatives})`);
  const [rMin, rMax] = o.localRadius;
  if (!(rMin >= 0 && rMax >= rMin))
    bad(`${optionName('localRadius')} must be MIN,MAX with 0 <= MIN <= MAX (got ${rMin},${rMax})`);
  if (!(o.hardNegatives >= 0 && o.localNegatives + o.hardNegatives <= 1))
    bad(
      `${optionName('hardNegatives')} must be >= 0, with ${optionName('localNegatives')} + ${optionName('hardNegatives')} <= 1 (got ${o.hardNegatives} and ${o.localNegatives})`,
    );
  if (!(o.hardRadius >= 0))
    bad(`${optionName('hardRadius')} must be a number of pixels >= 0 (got ${o.hardRadius})`);
}
