import type { UNet } from '../model/UNet.ts';
import type { AdamW } from '../optim/AdamW.ts';
import type { TrainConfig } from '../run/TrainConfig.ts';
import type { TrainObjective } from '../objectives/trainObjective.ts';
import { GraphTrainStep } from './GraphTrainStep.ts';

/**
 * The oxel objective with the whole step as one TensorFlow graph (`GraphTrainStep`; tensorflow
 * backend). The graph is built at the first step, for that batch's shape, from the student's weights
 * and the optimiser's state; from then on the session holds them, and `sync` copies them back into
 * `student` and `optimizer` (before a checkpoint, and at the end).
 */
export function graphOxelObjective(
  config: Pick<TrainConfig, 'norm' | 'lambda' | 'clipNorm'>,
  student: UNet,
  threads: number,
): TrainObjective {
  let graph: GraphTrainStep | undefined;
  let t = 0;
  return {
    name: 'oxel',
    parameters: student.parameters,
    async step(optimizer, batch, seed) {
      if (!graph) {
        const shapes = new Map([...student.parameters].map(([name, v]) => [name, v.shape]));
        const { beta1, beta2, epsilon, weightDecay } = optimizer.options;
        graph = new GraphTrainStep(
          {
            unet: student.config,
            batchSize: batch.batchSize,
            height: batch.height,
            width: batch.width,
            samples: batch.samples,
            norm: config.norm,
            lambda: config.lambda,
            clipNorm: config.clipNorm,
            beta1,
            beta2,
            epsilon,
            weightDecay,
            dropout: true,
            threads,
          },
          shapes,
        );
        const state = await optimizer.readState();
        t = state.step;
        graph.load({
          weights: student.getWeights(),
          ...(state.step > 0 && { m: state.m, v: state.v }),
        });
      }
      const result = graph.run(batch, optimizer.learningRate, t + 1, seed);
      if (result.applied) t++;
      return result;
    },
    async sync(optimizer: AdamW) {
      if (!graph) return;
      const { weights, m, v } = graph.read();
      student.setWeights(weights);
      optimizer.setState({ step: t, m, v });
    },
    checkpointFiles: async () => new Map(),
    restore: () => {},
    dispose: () => {},
  };
}
