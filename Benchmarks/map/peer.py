"""scikit-learn side of the `map` benchmark area.

usage: peer.py --dir bench-output/map [--points 1000] [--runs 1] [--write-only]
Writes --dir/embeddings-<points>.h5 (melcnn's embeddings layout: 10 Gaussian clusters in
128-D, seeded) and prints one JSON line per benchmark: median wall time (ms) and CPU time
(cpu_ms) of TSNE(random_state=0).fit_transform (default Barnes-Hut) and of
KMeans(10, n_init=10), plus the t-SNE trustworthiness (k=10) and KL divergence. One thread.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.manifold import TSNE, trustworthiness  # noqa: E402


def write_embeddings(path, n):
    rng = np.random.RandomState(42)
    centers = rng.normal(0, 2.0, size=(10, 128))
    labels = np.arange(n) % 10
    x = (centers[labels] + rng.normal(0, 1.5, size=(n, 128))).astype(np.float32)
    classes = [f"class{c}" for c in range(10)]
    with h5py.File(path, "w") as f:
        f.attrs["format"] = "melcnn-embeddings"
        f.attrs["version"] = np.int32(1)
        f.attrs["checkpoint"] = "synthetic"
        f.attrs["layer"] = "pool"
        f["embeddings"] = x
        f["tracks/path"] = np.array([f"{classes[l]}/track{i:05d}.wav" for i, l in enumerate(labels)], dtype=h5py.string_dtype())
        f["tracks/label"] = labels.astype(np.int32)
        f["classes"] = np.array(classes, dtype=h5py.string_dtype())
    return x


def timed(fn, runs):
    walls, cpus, out = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return statistics.median(walls), statistics.median(cpus), out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default="bench-output/map")
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--write-only", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    x = write_embeddings(os.path.join(args.dir, f"embeddings-{args.points}.h5"), args.points)
    if args.write_only:
        return
    x64 = x.astype(np.float64)
    models = {}

    def tsne():
        models["tsne"] = TSNE(random_state=0)
        return models["tsne"].fit_transform(x64)

    wall, cpu, y = timed(tsne, args.runs)
    print(json.dumps({"name": f"tsne_{args.points}", "ms": round(wall, 1), "cpu_ms": round(cpu, 1),
                      "trustworthiness": round(float(trustworthiness(x64, y, n_neighbors=10)), 4),
                      "kl": round(float(models["tsne"].kl_divergence_), 4)}), flush=True)
    wall, cpu, km = timed(lambda: KMeans(10, n_init=10, random_state=0).fit(x64), args.runs)
    print(json.dumps({"name": f"kmeans_{args.points}", "ms": round(wall, 1), "cpu_ms": round(cpu, 1),
                      "inertia": round(float(km.inertia_), 2)}), flush=True)


if __name__ == "__main__":
    main()
