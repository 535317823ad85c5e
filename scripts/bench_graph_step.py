#!/usr/bin/env python3
"""How fast libtensorflow runs the training step as one graph: the ceiling of the whole-step-graph
route of issue #26, measured before building it in TypeScript.

The same step as scripts/bench_train_torch.py (U-Net of its CONFIGS, oxel loss, clipping at norm 1,
AdamW), written in TensorFlow's Python API over the same libtensorflow (pip's tensorflow-cpu 2.21,
whose libraries the trainer's tensorflow backend links), run three ways:
  eager  op by op, as tfjs-node runs the trainer (each op dispatched from the host);
  graph  the whole step (forward, loss, gradients, clipping, AdamW) as one tf.function: one call per step;
  xla    the same graph compiled by XLA (jit_compile=True).
Synthetic data as bench_train_torch.py. Prints one JSON object. `scripts/bench-train --graph-ceiling`
runs it beside the trainer's backends and PyTorch; it needs tensorflow-cpu in the project venv
(`bash scripts/setup-python.sh --with-tensorflow`, about 600 MB more).

    python scripts/bench_graph_step.py --config 2d --mode graph --threads 2
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

# bench_train_torch.CONFIGS, without importing torch (and its thread pool) into this process.
CONFIGS = {
    "2d": dict(widths=[32, 64, 64], blocks=[1, 2, 2], dropout=[0.0, 0.1, 0.1]),
    "3d": dict(widths=[16, 16, 32, 32, 64], blocks=[1, 1, 1, 2, 4], dropout=[0.0, 0.0, 0.0, 0.1, 0.1]),
}


class UNet:
    """bench_train_torch.UNet in NHWC: the same blocks, norms, skips, pooling and upsampling."""

    def __init__(self, widths, blocks, dropout, norm, in_channels=3, out_channels=32):
        self.vars, self.norm, self.widths, self.blocks, self.dropout = [], norm, widths, blocks, dropout
        rng = np.random.default_rng(0)

        def conv(cin, cout, k):
            w = rng.normal(0, (2 / (k * k * cin)) ** 0.5, (k, k, cin, cout)).astype(np.float32)
            self.vars += [tf.Variable(w), tf.Variable(np.zeros(cout, np.float32))]
            return len(self.vars) - 2

        def norm_layer(c):
            self.vars += [tf.Variable(np.ones(c, np.float32)), tf.Variable(np.zeros(c, np.float32))]
            return len(self.vars) - 2

        def block(cin, cout):
            return dict(n1=norm_layer(cin), c1=conv(cin, cout, 3), n2=norm_layer(cout), c2=conv(cout, cout, 3),
                        skip=conv(cin, cout, 1) if cin != cout else None)

        last = len(widths) - 1
        self.stem = conv(in_channels, widths[0], 3)
        c, self.enc, self.dec = widths[0], [], [None] * (last + 1)
        for s in range(last + 1):
            bl = []
            for _ in range(blocks[s]):
                bl.append(block(c, widths[s]))
                c = widths[s]
            down = None
            if s < last:
                down, c = conv(c, widths[s + 1], 1), widths[s + 1]
            self.enc.append((bl, down))
        self.mid = block(c, c)
        for s in range(last, -1, -1):
            bl = []
            for i in range(blocks[s] + 1):
                bl.append(block(c + widths[s] if i == 0 else c, widths[s]))
                c = widths[s]
            up = None
            if s > 0:
                up, c = conv(c, widths[s - 1], 1), widths[s - 1]
            self.dec[s] = (bl, up)
        self.head_norm, self.head_conv = norm_layer(c), conv(c, out_channels, 3)
        self.last = last

    def conv(self, x, i):
        return tf.nn.bias_add(tf.nn.conv2d(x, self.vars[i], 1, "SAME"), self.vars[i + 1])

    def normalize(self, x, i):
        axes = [1, 2, 3] if self.norm == "image" else [3]
        mean, var = tf.nn.moments(x, axes, keepdims=True)
        return (x - mean) * tf.math.rsqrt(var + 1e-5) * self.vars[i] + self.vars[i + 1]

    def block(self, x, b, rate, training):
        h = self.conv(tf.nn.silu(self.normalize(x, b["n1"])), b["c1"])
        h = tf.nn.silu(self.normalize(h, b["n2"]))
        if training and rate > 0:
            h = tf.nn.dropout(h, rate)
        h = self.conv(h, b["c2"])
        return (self.conv(x, b["skip"]) if b["skip"] is not None else x) + h

    def __call__(self, x, training=True):
        h, skips = self.conv(x, self.stem), []
        for s, (bl, down) in enumerate(self.enc):
            for b in bl:
                h = self.block(h, b, self.dropout[s], training)
            skips.append(h)
            if down is not None:
                h = self.conv(tf.nn.avg_pool2d(h, 2, 2, "VALID"), down)
        h = self.block(h, self.mid, self.dropout[self.last], training)
        for s in range(self.last, -1, -1):
            bl, up = self.dec[s]
            h = tf.concat([h, skips[s]], 3)
            for b in bl:
                h = self.block(h, b, self.dropout[s], training)
            if up is not None:
                h = self.conv(h, up)
                h = tf.repeat(tf.repeat(h, 2, axis=1), 2, axis=2)
        return self.conv(tf.nn.silu(self.normalize(h, self.head_norm)), self.head_conv)


def oxel_loss(o1, o2, idx1, idx2, positive, lam=0.3, eps=1e-6):
    """bench_train_torch.oxel_loss (norm inf, all pixels valid) in TensorFlow."""
    b, c = o1.shape[0], o1.shape[3]
    p1 = tf.gather(tf.reshape(o1, [b, -1, c]), idx1, batch_dims=1)  # [B, N, C]
    p2 = tf.gather(tf.reshape(o2, [b, -1, c]), idx2, batch_dims=1)
    d = 0.5 * tf.reduce_max(tf.abs(p1 - p2), -1)
    pbar = tf.reduce_mean(positive, 1, keepdims=True)
    within = tf.reduce_mean(0.25 * (1 - pbar) + d * (2 * positive - 1) + d * d)
    e = 0.5 * tf.reduce_max(tf.abs(p1[:, None] - p2[None]), -1)  # [B1, B2, N]
    pair = tf.linalg.band_part(tf.ones([b, b]), 0, -1) - tf.eye(b)
    between = tf.reduce_sum((e - 0.5) ** 2 * pair[:, :, None]) / (tf.reduce_sum(pair) * e.shape[2] + eps)
    return (1 - lam) * within + lam * between


class AdamW:
    """Decoupled weight decay, betas 0.9 / 0.99, as the trainer's and torch's."""

    def __init__(self, variables, lr=1e-3, b1=0.9, b2=0.99, eps=1e-8, wd=1e-4):
        self.vars, self.lr, self.b1, self.b2, self.eps, self.wd = variables, lr, b1, b2, eps, wd
        self.m = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.v = [tf.Variable(tf.zeros_like(v)) for v in variables]
        self.t = tf.Variable(0.0)

    def apply(self, grads):
        t = self.t.assign_add(1.0)
        c1, c2 = 1 - self.b1 ** t, 1 - self.b2 ** t
        for var, g, m, v in zip(self.vars, grads, self.m, self.v):
            m.assign(self.b1 * m + (1 - self.b1) * g)
            v.assign(self.b2 * v + (1 - self.b2) * g * g)
            var.assign(var * (1 - self.lr * self.wd) - self.lr * (m / c1) / (tf.sqrt(v / c2) + self.eps))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", choices=sorted(CONFIGS), default="2d")
    ap.add_argument("--normalization", choices=["image", "pixel"], default="image")
    ap.add_argument("--mode", choices=["eager", "graph", "xla"], default="graph")
    ap.add_argument("--pairs", type=int, default=16)
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=0, help="0 = TensorFlow's default")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    a = ap.parse_args()
    if a.threads > 0:
        tf.config.threading.set_intra_op_parallelism_threads(a.threads)
        tf.config.threading.set_inter_op_parallelism_threads(a.threads)
    tf.random.set_seed(0)
    model = UNet(**CONFIGS[a.config], norm=a.normalization)
    opt = AdamW(model.vars)
    b, s = a.pairs, a.size
    n = s * s // 8
    rng = np.random.default_rng(1)
    x = tf.constant(rng.random((2 * b, s, s, 3), np.float32))
    idx1 = tf.constant(rng.integers(0, s * s, (b, n)), tf.int32)
    idx2 = tf.constant(rng.integers(0, s * s, (b, n)), tf.int32)
    positive = tf.constant(np.broadcast_to((np.arange(n) < n // 8).astype(np.float32), (b, n)))

    def step():
        with tf.GradientTape() as tape:
            out = model(x)
            loss = oxel_loss(out[:b], out[b:], idx1, idx2, positive)
        grads, _ = tf.clip_by_global_norm(tape.gradient(loss, model.vars), 1.0)
        opt.apply(grads)
        return loss

    run = step if a.mode == "eager" else tf.function(step, jit_compile=a.mode == "xla")
    for _ in range(a.warmup):
        float(run())
    seconds, cpu_seconds = [], []
    for _ in range(a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        float(run())
        seconds.append(time.perf_counter() - t0)
        cpu_seconds.append(time.process_time() - c0)
    sec = sorted(seconds)[len(seconds) // 2]
    print(json.dumps({
        "engine": f"tf-{a.mode}", "tensorflowVersion": tf.__version__, "config": a.config,
        "normalization": a.normalization, "pairs": b, "size": s, "samples": n, "threads": a.threads,
        "parameterCount": int(sum(np.prod(v.shape) for v in model.vars)),
        "stepSeconds": seconds, "stepCpuSeconds": cpu_seconds, "secondsPerStep": sec, "stepsPerSecond": 1 / sec,
    }))


if __name__ == "__main__":
    main()
