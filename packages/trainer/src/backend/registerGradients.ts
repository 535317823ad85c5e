let registered: Promise<void> | undefined;

/**
 * Registers tfjs's gradient functions (and chained tensor ops). `@tensorflow/tfjs-core`'s Node build
 * ships none, and its ESM files that do (`dist/register_all_gradients.js`) use extension-less imports
 * that Node cannot load; the union package's Node bundle registers them all, into the registry that
 * tfjs-core keeps on `globalThis`, so they apply to our tfjs-core instance. Idempotent.
 */
export function registerGradients(): Promise<void> {
  registered ??= import('@tensorflow/tfjs').then(() => undefined);
  return registered;
}
