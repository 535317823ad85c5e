"""PyTorch replay of a training run exported by packages/trainer/test/torchParity.test.ts.

The TS side writes into DIR: meta.json (configuration, hyper-parameters, its losses), batch-K.bin
(the batch of step K as the trainer made it), forward.bin (its U-Net's output on batch 0's view 1)
and checkpoints/step-NNNNNNN/model.safetensors (its real checkpoints, steps 0..S). This script loads
step 0 strictly into the reference U-Net of bench_train_torch.py (dropout off), checks the forward
pass, then trains S steps with its own oxel loss (written from docs/architecture.md#oxel-loss), torch's AdamW,
clip_grad_norm_ and its own warm-up / hold / cosine schedule, and after each step compares every
parameter with the TS checkpoint; then replays every step again from the TS run's own state
(`synced_steps`). Prints one JSON object.

    python scripts/torch_parity.py DIR
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from safetensors.torch import load_file

sys.path.insert(0, str(Path(__file__).parent))
from bench_train_torch import CONFIGS, UNet  # noqa: E402  (the architecture; its keys are tested)

# The head's bias shifts every descriptor by the same vector, which the loss (differences of
# descriptors only) cannot see: its gradient is 0 in exact arithmetic, and AdamW's normalised step
# turns the round-off each side computes for it into steps of about the learning rate, in random
# directions. It is reported apart, not compared.
ZERO_GRADIENT = {"head.conv.bias"}


def schedule(step, total, peak, warmup_fraction, decay_fraction, initial_fraction, final_fraction):
    """Linear warm-up from initial * peak, the peak held, cosine down to final * peak over the last
    decay_fraction of the run (warm-up / stable / decay)."""
    half_up = lambda x: math.floor(x + 0.5)  # JavaScript's Math.round, not Python's banker's rounding
    warmup = half_up(warmup_fraction * total)
    if step < warmup:
        return peak * (initial_fraction + (1 - initial_fraction) * step / warmup)
    start = max(warmup, total - half_up(decay_fraction * total))
    length = total - 1 - start
    progress = 0.0 if length <= 0 else min(1.0, max(0.0, (step - start) / length))
    return peak * (final_fraction + (1 - final_fraction) * (1 + math.cos(math.pi * progress)) / 2)


def distance(diff, norm):
    """Half of the oxel loss's dist over the channel axis (last); docs/architecture.md#oxel-loss."""
    if norm == "inf":
        d = diff.abs().max(dim=-1).values
    elif norm == "l1":
        d = diff.abs().mean(dim=-1)
    else:
        d = diff.pow(2).mean(dim=-1)
    return 0.5 * d


def oxel_loss_terms(desc, batch, norm, between_grad=True):
    """The oxel loss's within- and between-image terms (docs/architecture.md#oxel-loss) on
    descriptors [2B, C, H, W], view 1's first; the between term without its graph unless between_grad."""
    b = batch["idx1"].shape[0]
    flat = desc.flatten(2)  # [2B, C, HW]
    rows = torch.arange(b)[:, None]
    a = flat[:b].permute(0, 2, 1)[rows, batch["idx1"]]  # [B, N, C]
    p = flat[b:].permute(0, 2, 1)[rows, batch["idx2"]]
    valid1 = batch["mask1"].flatten(1)[rows, batch["idx1"]]
    valid2 = batch["mask2"].flatten(1)[rows, batch["idx2"]]
    m = valid1 * valid2
    f = batch["positive"]
    d = distance(a - p, norm)
    pbar = (f * m).sum(1) / (m.sum(1) + 1e-6)
    per_sample = 0.25 * (1 - pbar[:, None]) + d * (2 * f - 1) + d * d
    within = ((per_sample * m).sum(1) / (m.sum(1) + 1e-6)).mean()
    with torch.set_grad_enabled(between_grad and torch.is_grad_enabled()):
        terms, weights = [], []
        for b1 in range(b):
            for b2 in range(b1 + 1, b):
                e = distance(a[b1] - p[b2], norm)
                w = valid1[b1] * valid2[b2]
                terms.append(((e - 0.5) ** 2 * w).sum())
                weights.append(w.sum())
        between = torch.stack(terms).sum() / (torch.stack(weights).sum() + 1e-6) if terms else torch.zeros(())
    return within, between


def oxel_loss(desc, batch, norm, lam):
    """The oxel loss: (1 - lambda) * within + lambda * between."""
    within, between = oxel_loss_terms(desc, batch, norm)
    return (1 - lam) * within + lam * between


def unpack_batch(raw, shapes):
    """A batch packed by the trainer's packLossBatch ({name: (dtype, shape)} in packing order) as tensors."""
    out, at = {}, 0
    for name, (dtype, shape) in shapes.items():
        count = int(np.prod(shape))
        out[name] = np.frombuffer(raw, dtype=dtype, count=count, offset=at).reshape(shape)
        at += count * np.dtype(dtype).itemsize
    images = np.concatenate([out["view1"], out["view2"]]).transpose(0, 3, 1, 2)
    return {
        "images": torch.from_numpy(np.ascontiguousarray(images)),
        "idx1": torch.from_numpy(out["idx1"].astype(np.int64)),
        "idx2": torch.from_numpy(out["idx2"].astype(np.int64)),
        "positive": torch.from_numpy(out["isPositive"].astype(np.float32)),
        "mask1": torch.from_numpy(out["mask1"].astype(np.float32)),
        "mask2": torch.from_numpy(out["mask2"].astype(np.float32)),
    }


def read_batch(directory, k, shapes):
    return unpack_batch((directory / f"batch-{k}.bin").read_bytes(), shapes)


def relative_l2(a, b):
    return float((a - b).norm() / b.norm().clamp_min(1e-30))


def hwio_to_oihw(t):
    return t.permute(3, 2, 0, 1).contiguous() if t.dim() == 4 else t


def synced_steps(model, directory, meta, shapes, ckpt):
    """Each step again from the TS run's own weights and AdamW moments at that step, so that what is
    compared is one step (gradient, clipping, AdamW, schedule), without the drift a free run adds up.
    A "jump" is a weight whose step differs by more than 0.1 lr: a gradient at float32 round-off of
    zero, whose sign and size rounding decides, becomes an AdamW step anywhere in [-lr, lr] (on the
    first step, g / (|g| + eps)); any other difference of gradients changes a step by far less."""
    o, s = meta["optimizer"], meta["schedule"]
    out = []
    params = dict(model.named_parameters())
    for k in range(meta["steps"]):
        model.load_state_dict(load_file(str(ckpt(k))), strict=True)
        state = load_file(str(ckpt(k).parent / "optimizer.safetensors"))
        opt = torch.optim.AdamW(model.parameters(), lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"],
                                weight_decay=o["weightDecay"])
        if k > 0:
            for name, p in params.items():
                opt.state[p] = {"step": torch.tensor(float(k)), "exp_avg": hwio_to_oihw(state[f"m.{name}"]),
                                "exp_avg_sq": hwio_to_oihw(state[f"v.{name}"])}
        lr = schedule(k, meta["steps"], o["lr"], s["warmupFraction"], s["decayFraction"], s["initialFraction"],
                      s["finalFraction"])
        for group in opt.param_groups:
            group["lr"] = lr
        before = {n: p.detach().clone() for n, p in params.items()}
        batch = read_batch(directory, k, shapes)
        opt.zero_grad(set_to_none=True)
        oxel_loss(model(batch["images"]), batch, meta["norm"], meta["lambda"]).backward()
        grad_norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), meta["clipNorm"]))
        opt.step()
        theirs = load_file(str(ckpt(k + 1)))
        worst, worst_weights, jumps = ("", 0.0), ("", 0.0), 0
        for n, p in params.items():
            if n in ZERO_GRADIENT:
                continue
            diff = p.detach() - theirs[n]
            jump = diff.abs() > 0.1 * lr
            jumps += int(jump.sum())
            rel = float(diff[~jump].norm() / (theirs[n] - before[n]).norm().clamp_min(1e-30))
            if rel > worst[1]:
                worst = (n, rel)
            rel_weights = relative_l2(p.detach(), theirs[n])
            if rel_weights > worst_weights[1]:
                worst_weights = (n, rel_weights)
        out.append({"step": k + 1, "lr": lr, "gradNorm": grad_norm, "tsGradNorm": meta["gradNorms"][k],
                    "worstStep": worst[0], "worstStepRelativeL2": worst[1], "jumps": jumps,
                    "weights": sum(p.numel() for n, p in params.items() if n not in ZERO_GRADIENT),
                    "worstWeights": worst_weights[0], "worstWeightsRelativeL2": worst_weights[1]})
    return out


def main():
    directory = Path(sys.argv[1])
    meta = json.loads((directory / "meta.json").read_text())
    torch.manual_seed(0)
    torch.set_num_threads(meta.get("threads", 1))
    arch = dict(CONFIGS[meta["model"]], dropout=[0.0] * len(CONFIGS[meta["model"]]["dropout"]))
    model = UNet(**arch, norm=meta["normalization"], out_channels=meta["outChannels"])
    ckpt = lambda k: directory / "checkpoints" / f"step-{k:07d}" / "model.safetensors"
    model.load_state_dict(load_file(str(ckpt(0))), strict=True)
    model.train()
    shapes = {k: (v["dtype"], v["shape"]) for k, v in meta["batchLayout"].items()}

    first = read_batch(directory, 0, shapes)
    b = first["idx1"].shape[0]
    with torch.no_grad():
        y = model(first["images"][:b]).permute(0, 2, 3, 1).numpy()
    expected = np.fromfile(directory / "forward.bin", dtype=np.float32).reshape(y.shape)
    forward = {"maxAbsDiff": float(np.abs(y - expected).max()), "maxAbsOutput": float(np.abs(expected).max())}

    o = meta["optimizer"]
    opt = torch.optim.AdamW(model.parameters(), lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"],
                            weight_decay=o["weightDecay"])
    steps = []
    for k in range(meta["steps"]):
        batch = first if k == 0 else read_batch(directory, k, shapes)
        s = meta["schedule"]
        lr = schedule(k, meta["steps"], o["lr"], s["warmupFraction"], s["decayFraction"], s["initialFraction"],
                      s["finalFraction"])
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        loss = oxel_loss(model(batch["images"]), batch, meta["norm"], meta["lambda"])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), meta["clipNorm"])
        opt.step()
        theirs = load_file(str(ckpt(k + 1)))
        compared = [(name, p.detach()) for name, p in model.named_parameters() if name not in ZERO_GRADIENT]
        errors = {name: relative_l2(p, theirs[name]) for name, p in compared}
        mine = torch.cat([p.flatten() for _, p in compared])
        overall = relative_l2(mine, torch.cat([theirs[name].flatten() for name, _ in compared]))
        worst = max(errors, key=errors.get)
        steps.append({
            "step": k + 1,
            "lr": lr,
            "tsLr": meta["lrs"][k],
            "loss": loss.item(),
            "tsLoss": meta["losses"][k],
            "worst": worst,
            "worstRelativeL2": errors[worst],
            "tensors": len(errors),
            "allWeightsRelativeL2": overall,
            "zeroGradientMaxAbsDiff": {n: float((dict(model.named_parameters())[n].detach() - theirs[n]).abs().max())
                                       for n in ZERO_GRADIENT},
        })
    print(json.dumps({"torchVersion": torch.__version__, "forward": forward, "steps": steps,
                      "synced": synced_steps(model, directory, meta, shapes, ckpt)}))


if __name__ == "__main__":
    main()
