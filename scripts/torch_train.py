"""The PyTorch peer as a trainer: trains a run that scripts/train-torch.ts set up in DIR, on the
batches that script streams to stdin (the TS trainer's own batch source, packed by packLossBatch).

DIR holds torch-meta.json (architecture, loss, optimiser, schedule, batch layout, steps) and
checkpoints/step-0000000/model.safetensors (the TS trainer's initial weights, loaded strictly). The
step is torch_parity.py's (its own oxel loss from docs/architecture.md#oxel-loss, its own schedule,
torch's AdamW and clip_grad_norm_), with the run's dropout on. Writes one JSON line per step to stdout
({"step", "loss", "within", "between", "gradNorm", "lr"}) and, at the end, DIR/torch-final.safetensors (written to a
temporary name, then renamed, so a file of that name is always whole).

    python scripts/torch_train.py DIR < batches
"""
import json
import os
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import load_file, save_file

sys.path.insert(0, str(Path(__file__).parent))
from bench_train_torch import CONFIGS, UNet  # noqa: E402
from torch_parity import oxel_loss_terms, schedule, unpack_batch  # noqa: E402


def read_exactly(stream, n):
    """n bytes from stream, or None at a clean end; a batch cut short is an error."""
    chunks, got = [], 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            if got == 0:
                return None
            raise SystemExit(f"torch_train: stdin ended inside a batch ({got} of {n} bytes)")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def main():
    directory = Path(sys.argv[1])
    meta = json.loads((directory / "torch-meta.json").read_text())
    torch.manual_seed(meta["seed"])
    torch.set_num_threads(meta["threads"])
    arch = dict(CONFIGS[meta["model"]], dropout=meta["dropout"])
    model = UNet(**arch, norm=meta["normalization"], out_channels=meta["outChannels"])
    model.load_state_dict(load_file(str(directory / "checkpoints" / "step-0000000" / "model.safetensors")),
                          strict=True)
    model.train()
    o, s = meta["optimizer"], meta["schedule"]
    opt = torch.optim.AdamW(model.parameters(), lr=o["lr"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"],
                            weight_decay=o["weightDecay"])
    shapes = {k: (v["dtype"], v["shape"]) for k, v in meta["batchLayout"].items()}
    size = sum(int(np.prod(shape)) * np.dtype(dtype).itemsize for dtype, shape in shapes.values())
    stdin = sys.stdin.buffer
    for k in range(meta["steps"]):
        raw = read_exactly(stdin, size)
        if raw is None:
            raise SystemExit(f"torch_train: stdin ended after {k} of {meta['steps']} batches")
        batch = unpack_batch(raw, shapes)
        lr = schedule(k, meta["steps"], o["lr"], s["warmupFraction"], s["decayFraction"], s["initialFraction"],
                      s["finalFraction"])
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        lam = meta["lambda"]
        within, between = oxel_loss_terms(model(batch["images"]), batch, meta["norm"], between_grad=lam > 0)
        loss = (1 - lam) * within + lam * between if lam > 0 else within
        if not torch.isfinite(loss):
            raise SystemExit(f"torch_train: step {k + 1}: loss is {loss.item()}")
        loss.backward()
        grad_norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), meta["clipNorm"]))
        opt.step()
        print(json.dumps({"step": k + 1, "loss": loss.item(), "within": within.item(), "between": between.item(),
                          "gradNorm": grad_norm, "lr": lr}), flush=True)
    final = directory / "torch-final.safetensors"
    tmp = final.with_suffix(".safetensors.tmp")
    save_file({n: p.detach().contiguous() for n, p in model.state_dict().items()}, str(tmp),
              metadata={"torch": torch.__version__, "steps": str(meta["steps"])})
    os.replace(tmp, final)


if __name__ == "__main__":
    main()
