"""Recomputes `pnpm eval correspondence` from its saved descriptor maps (--save-descriptors DIR), in
numpy and by brute force: for every query, the nearest pixel of B to A's descriptor under the norm,
the pixel error from that pixel's centre to the true subpixel position, then median and PCK per
method over all pairs. Prints one JSON object {method: {queries, medianError, pck}}.

    python scripts/correspondence_oracle.py DIR NORM [THRESHOLDS=1,2,4,8,16]
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np


def distances(query, descriptors, norm):
    diff = np.abs(descriptors - query)  # [H*W, C]
    if norm == "inf":
        return diff.max(axis=1)
    if norm == "l1":
        return diff.mean(axis=1)
    return (diff * diff).mean(axis=1)


def main():
    directory, norm = Path(sys.argv[1]), sys.argv[2]
    thresholds = [float(t) for t in (sys.argv[3] if len(sys.argv) > 3 else "1,2,4,8,16").split(",")]
    errors = defaultdict(list)
    for queries in sorted(directory.glob("*.queries.a_index.npy")):
        key = queries.name[: -len(".queries.a_index.npy")]
        a_index = np.load(queries)
        b_xy = np.load(directory / f"{key}.queries.b_xy.npy")
        for a_file in sorted(directory.glob(f"{key}.*.a.npy")):
            method = a_file.name[len(key) + 1 : -len(".a.npy")]
            # float64, as the TS search computes its distances: float32 differences would round ties apart.
            a = np.load(a_file).astype(np.float64)
            b = np.load(directory / f"{key}.{method}.b.npy").astype(np.float64)
            h, w, c = b.shape
            flat_a, flat_b = a.reshape(-1, c), b.reshape(-1, c)
            for k, xy in zip(a_index, b_xy):
                found = int(np.argmin(distances(flat_a[k], flat_b, norm)))  # first minimum, as the TS search
                centre = np.array([found % w + 0.5, found // w + 0.5])
                errors[method].append(float(np.hypot(*(centre - xy))))
    out = {}
    for method, e in errors.items():
        e = np.array(e, dtype=np.float64)
        out[method] = {"queries": len(e), "medianError": float(np.median(e)),
                       "pck": {f"{t:g}": float((e <= t).mean()) for t in thresholds}}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
