"""Peer of the `als` benchmark area: the Python `implicit` package's CPU ALS on the same
training plays as `melcnn factors` (read from its factors.h5: /plays and /holdout), with the
same hyper-parameters. melcnn's confidence is 1 + alpha * count; implicit uses a stored value
as the confidence, so it gets data = 1 + alpha * count with its own alpha = 1.

Writes implicit's factors in melcnn's factors.h5 layout (so `melcnn recommend --eval` scores
both with the same metric code) and prints one JSON line with the fit time.
"""
import argparse
import json
import os
import time

import h5py
import numpy as np
import scipy.sparse as sp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--factors-file", required=True, help="melcnn's factors.h5 (for its split and settings)")
    ap.add_argument("--out", required=True, help="implicit's factors, in the same layout")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--name", default="als")
    args = ap.parse_args()

    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares

    with h5py.File(args.factors_file, "r") as f:
        attrs = {k: f.attrs[k] for k in f.attrs}
        users = f["users/id"][:]
        tracks = f["tracks/id"][:]
        train = [f["plays/" + k][:] for k in ("user", "track", "count")]
        hold = [f["holdout/" + k][:] for k in ("user", "track", "count")]
    factors, iterations = int(attrs["factors"]), int(attrs["iterations"])
    reg, alpha = float(attrs["regularization"]), float(attrs["alpha"])
    cui = sp.csr_matrix((1.0 + alpha * train[2].astype(np.float32), (train[0], train[1])),
                        shape=(len(users), len(tracks)), dtype=np.float32)
    model = AlternatingLeastSquares(factors=factors, regularization=reg, alpha=1.0, iterations=iterations,
                                    use_cg=int(attrs["cg_steps"]) > 0, num_threads=args.threads,
                                    random_state=args.seed)
    with threadpool_limits(1, "blas"):  # implicit's own threads; BLAS single-threaded inside (its advice)
        start, cpu = time.perf_counter(), time.process_time()
        model.fit(cui, show_progress=False)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    tmp = args.out + ".tmp"
    with h5py.File(tmp, "w") as f:
        for k, v in attrs.items():
            f.attrs[k] = v
        f.attrs["plays"] = "implicit " + __import__("implicit").__version__
        f["users/id"], f["tracks/id"] = users, tracks
        f["users/factors"] = np.asarray(model.user_factors, dtype=np.float32)
        f["tracks/factors"] = np.asarray(model.item_factors, dtype=np.float32)
        for group, (u, t, c) in (("plays", train), ("holdout", hold)):
            f[group + "/user"], f[group + "/track"], f[group + "/count"] = u, t, c
    os.replace(tmp, args.out)
    print(json.dumps({"name": args.name, "ms": round(seconds * 1000, 1), "cpu_ms": round(cpu * 1000, 1), "threads": args.threads,
                      "plays": int(len(train[0]))}))


if __name__ == "__main__":
    main()
