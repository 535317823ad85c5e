#!/usr/bin/env python3
"""PyTorch CPU peer of scripts/bench-train.ts: the same U-Net, loss and AdamW step, timed.

Mirrors packages/trainer (model/unetParameters.ts, model/UNet.ts, losses/oxelLoss.ts, train/) layer
for layer, with the same state_dict keys, so that the parameter counts can be compared. Synthetic
data: random images and sample indices, 1/8 of the samples positive. Prints one JSON object.

Run with the project venv's torch (scripts/setup-python.sh prints its python):
    ~/.cache/oxels/venv/bin/python scripts/bench_train_torch.py --config 2d
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {
    "2d": dict(widths=[32, 64, 64], blocks=[1, 2, 2], dropout=[0.0, 0.1, 0.1]),
    "3d": dict(widths=[16, 16, 32, 32, 64], blocks=[1, 1, 1, 2, 4], dropout=[0.0, 0.0, 0.0, 0.1, 0.1]),
}


class PixelNorm(nn.Module):
    """The trainer's `pixel` normalization: each pixel over its own channels (GroupNorm's keys)."""

    def __init__(self, channels, eps=1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x):
        y = F.layer_norm(x.permute(0, 2, 3, 1), (x.shape[1],), self.weight, self.bias, self.eps)
        return y.permute(0, 3, 1, 2)


NORMS = {"image": lambda c: nn.GroupNorm(1, c), "pixel": PixelNorm}


class ResBlock(nn.Module):
    def __init__(self, cin, cout, dropout, norm):
        super().__init__()
        self.norm1 = NORMS[norm](cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2 = NORMS[norm](cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.drop = nn.Dropout(dropout)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(self.drop(F.silu(self.norm2(h))))
        return (self.skip(x) if self.skip is not None else x) + h


class Stage(nn.Module):
    def __init__(self, blocks, extra=None):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)
        if extra is not None:
            name, module = extra
            setattr(self, name, module)


class UNet(nn.Module):
    """Same layout and state_dict keys as packages/trainer/src/model/unetParameters.ts."""

    def __init__(self, widths, blocks, dropout, norm="image", in_channels=3, out_channels=32):
        super().__init__()
        last = len(widths) - 1
        self.stem = nn.Conv2d(in_channels, widths[0], 3, padding=1)
        c = widths[0]
        enc = []
        for s in range(last + 1):
            bl = []
            for _ in range(blocks[s]):
                bl.append(ResBlock(c, widths[s], dropout[s], norm))
                c = widths[s]
            extra = None
            if s < last:
                extra = ("down", nn.Conv2d(c, widths[s + 1], 1))
                c = widths[s + 1]
            enc.append(Stage(bl, extra))
        self.encoder = nn.ModuleList(enc)
        self.mid = nn.Module()
        self.mid.block = ResBlock(c, c, dropout[last], norm)
        dec = [None] * (last + 1)
        for s in range(last, -1, -1):
            bl = []
            for i in range(blocks[s] + 1):
                bl.append(ResBlock(c + widths[s] if i == 0 else c, widths[s], dropout[s], norm))
                c = widths[s]
            extra = None
            if s > 0:
                extra = ("up", nn.Conv2d(c, widths[s - 1], 1))
                c = widths[s - 1]
            dec[s] = Stage(bl, extra)
        self.decoder = nn.ModuleList(dec)
        self.head = nn.Module()
        self.head.norm = NORMS[norm](c)
        self.head.conv = nn.Conv2d(c, out_channels, 3, padding=1)
        self.last = last

    def forward(self, x):
        h = self.stem(x)
        skips = []
        for s, stage in enumerate(self.encoder):
            for b in stage.blocks:
                h = b(h)
            skips.append(h)
            if s < self.last:
                h = stage.down(F.avg_pool2d(h, 2))
        h = self.mid.block(h)
        for s in range(self.last, -1, -1):
            stage = self.decoder[s]
            h = torch.cat([h, skips[s]], 1)
            for b in stage.blocks:
                h = b(h)
            if s > 0:
                h = F.interpolate(stage.up(h), scale_factor=2, mode="nearest")
        return self.head.conv(F.silu(self.head.norm(h)))


def dist(diff, norm):
    if norm == "inf":
        return diff.abs().amax(-1)
    if norm == "l1":
        return diff.abs().mean(-1)
    return (diff * diff).mean(-1)


def oxel_loss(o1, o2, idx1, idx2, positive, mask1, mask2, norm="inf", lam=0.3, eps=1e-6):
    """The oxel loss (docs/architecture.md#oxel-loss).

    o1, o2 [B, C, H, W]; idx [B, N] flat pixel indices; masks [B, H*W].
    """
    b, c = o1.shape[:2]
    f1 = o1.flatten(2).transpose(1, 2)  # [B, HW, C]
    f2 = o2.flatten(2).transpose(1, 2)
    p1 = torch.gather(f1, 1, idx1.unsqueeze(-1).expand(-1, -1, c))
    p2 = torch.gather(f2, 1, idx2.unsqueeze(-1).expand(-1, -1, c))
    m1 = torch.gather(mask1, 1, idx1)
    m2 = torch.gather(mask2, 1, idx2)
    m = m1 * m2
    d = 0.5 * dist(p1 - p2, norm)
    pbar = (positive * m).sum(1, keepdim=True) / (m.sum(1, keepdim=True) + eps)
    lw = 0.25 * (1 - pbar) + d * (2 * positive - 1) + d * d
    within = ((lw * m).sum(1) / (m.sum(1) + eps)).mean()
    e = 0.5 * dist(p1.unsqueeze(1) - p2.unsqueeze(0), norm)  # [B1, B2, N]
    pair = torch.triu(torch.ones(b, b, device=o1.device), diagonal=1).unsqueeze(-1)
    mb = m1.unsqueeze(1) * m2.unsqueeze(0) * pair
    between = ((e - 0.5) ** 2 * mb).sum() / (mb.sum() + eps)
    return (1 - lam) * within + lam * between


def parity(directory, config, norm):
    """Loads weights exported by scripts/bench-train.ts (PyTorch layout, same keys) and compares outputs."""
    import numpy as np

    model = UNet(**CONFIGS[config], norm=norm).eval()
    index = json.load(open(f"{directory}/index.json"))
    flat = np.fromfile(f"{directory}/weights.bin", dtype=np.float32)
    state = {
        k: torch.from_numpy(flat[v["offset"] : v["offset"] + int(np.prod(v["shape"]))].reshape(v["shape"]))
        for k, v in index.items()
    }
    model.load_state_dict(state, strict=True)
    shape = json.load(open(f"{directory}/shapes.json"))
    x = torch.from_numpy(np.fromfile(f"{directory}/x.bin", dtype=np.float32).reshape(shape["x"]))
    expected = np.fromfile(f"{directory}/y.bin", dtype=np.float32).reshape(shape["y"])
    with torch.no_grad():
        y = model(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
    print(json.dumps({"keysMatched": True, "maxAbsDiff": float(np.abs(y - expected).max()),
                      "maxAbsOutput": float(np.abs(expected).max())}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", choices=["2d", "3d"], default="2d")
    ap.add_argument("--normalization", choices=sorted(NORMS), default="image")
    ap.add_argument("--pairs", type=int, default=16, help="image pairs per step (2x images through the net)")
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--samples", type=int, default=0, help="sampled pixels per image; 0 = H*W/8")
    ap.add_argument("--threads", type=int, default=0, help="0 = torch default")
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--channels-last", action="store_true")
    ap.add_argument("--device", default="cpu", help="cpu, or cuda: the GPU peer of webgpu (scripts/device/run.sh)")
    ap.add_argument("--parity", metavar="DIR", help="compare with a tfjs forward exported to DIR, then exit")
    a = ap.parse_args()
    if a.parity:
        parity(a.parity, a.config, a.normalization)
        return
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    model = UNet(**CONFIGS[a.config], norm=a.normalization).to(dev)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=1e-4)
    b, s = a.pairs, a.size
    n = a.samples or s * s // 8
    x = torch.rand(2 * b, 3, s, s).to(dev, memory_format=fmt)
    idx1 = torch.randint(0, s * s, (b, n)).to(dev)
    idx2 = torch.randint(0, s * s, (b, n)).to(dev)
    positive = (torch.arange(n) < n // 8).float().expand(b, n).to(dev)
    mask = torch.ones(b, s * s).to(dev)

    def step():
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = oxel_loss(out[:b], out[b:], idx1, idx2, positive, mask, mask)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss.item()

    model.train()
    for _ in range(a.warmup):
        step()
    seconds = []
    cpu_seconds = []
    for _ in range(a.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        seconds.append(time.perf_counter() - t0)
        cpu_seconds.append(time.process_time() - c0)
    sec = sorted(seconds)[len(seconds) // 2]
    print(json.dumps({
        "engine": "torch",
        "torchVersion": torch.__version__,
        "config": a.config,
        "normalization": a.normalization,
        "pairs": b,
        "imagesPerStep": 2 * b,
        "size": s,
        "samples": n,
        "threads": torch.get_num_threads(),
        "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu",
        "channelsLast": a.channels_last,
        "parameterCount": sum(p.numel() for p in model.parameters()),
        "stepSeconds": seconds,
        "stepCpuSeconds": cpu_seconds,
        "secondsPerStep": sec,
        "stepsPerSecond": 1 / sec,
    }))


if __name__ == "__main__":
    main()
