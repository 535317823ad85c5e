// Worker thread of ReplicaPool: one replica of the U-Net on its own tfjs wasm instance. Per step it
// takes the weights and its share of the batch's pairs, runs the forward pass, hands the descriptors of
// the sampled pixels to the main thread (which owns the loss, since the between-image term couples all
// pairs of the batch), blocks until the loss gradient for them comes back through shared memory, then
// finishes the backward pass and sends its share of the parameter gradients.
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/initBackend.ts';
import type { UNetConfig } from '../constants.ts';
import { mineHardNegatives } from '../losses/mineHardNegatives.ts';
import { sampleStacked } from '../losses/oxelLoss.ts';
import { UNet } from '../model/UNet.ts';
import { assignFlatParameters, flattenTensors } from '../optim/flatParameters.ts';
import { EXCHANGE_HEADER_BYTES, type ReplicaReply, type ReplicaStep } from './ReplicaPool.ts';

const { config, threads } = (workerData as { data: { config: UNetConfig; threads: number } }).data;
const port = parentPort!;
const post = (reply: ReplicaReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

function step(m: ReplicaStep, model: UNet): Float32Array {
  assignFlatParameters(model.parameters, m.weights);
  const { pairs, height: h, width: w, samples: n } = m;
  const flag = new Int32Array(m.exchange, 0, 1);
  const vars = [...model.parameters.values()];
  const { value, grads } = tf.variableGrads(() => {
    const x = tf.tensor4d(m.views, [2 * pairs, h, w, 3]);
    const o = model.forward(x, { training: true, seed: m.seed });
    const idx1 = tf.tensor2d(m.idx1, [pairs, n], 'int32');
    const idx2 = tf.tensor2d(
      m.hard ? mineHardNegatives(o, m.idx1, m.idx2, m.hard) : m.idx2,
      [pairs, n],
      'int32',
    );
    const { p1, p2 } = sampleStacked(o, idx1, idx2);
    const p = tf.concat([p1, p2], 0);
    post({ kind: 'samples', samples: p.dataSync() as Float32Array });
    Atomics.wait(flag, 0, 0);
    Atomics.store(flag, 0, 0);
    const dp = tf.tensor(new Float32Array(m.exchange, EXCHANGE_HEADER_BYTES, p.size), p.shape);
    // d(sum(p * dp)) / dweights is the loss gradient restricted to this replica's pairs.
    return tf.sum(tf.mul(p, dp)) as tf.Scalar;
  }, vars);
  const flat = flattenTensors(vars.map((v) => grads[v.name]));
  tf.dispose([value, ...Object.values(grads)]);
  return flat;
}

async function main(): Promise<void> {
  await initBackend('wasm', { threads });
  const model = new UNet(config, 0);
  // ReplicaPool.close terminates the thread: there is no stop message.
  port.on('message', (m: ReplicaStep) => {
    try {
      const grads = step(m, model);
      post({ kind: 'grads', grads, liveTensors: tf.memory().numTensors }, [grads.buffer as ArrayBuffer]);
    } catch (err) {
      post({ kind: 'error', message: (err as Error).stack ?? String(err) });
    }
  });
  post({ kind: 'ready' });
}

main().catch((err: Error) => post({ kind: 'error', message: err.stack ?? String(err) }));
