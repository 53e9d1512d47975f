"""PyTorch peer of `melcnn cv --validation none`: the same folds (read from melcnn's
`folds.csv`), model kind, optimiser, schedule, patch sampling and augmentation (`augment:`
section: gain, SpecAugment masks, per-pair mixup with soft-target cross-entropy) on the same
dataset.h5, then the held-out fold's patch and track accuracy.

usage: cv_peer.py --data DATA.h5 --cv CV_DIR [--config CV_DIR/fold-1/config.yaml ...] [--threads 1]
                  [--folds 1,2,...]
Prints one JSON line per fold ({"fold", "patch_accuracy", "track_accuracy", "best_epoch",
"seconds"}) and a last line with the mean and standard deviation (n - 1) over folds, as
melcnn's cv.json. An ensemble (several --config, or by default the member configs of a cv
folder made with several --config or --members: CV_DIR/fold-1/member-*/config.yaml) trains
one model per config and scores the fold on their mean track probabilities, as melcnn cv:
"track_accuracy" is the ensemble's, "patch_accuracy" the members' mean, "member_track_accuracy"
each member's. As melcnn without validation, the kept weights are those of the epoch with
the lowest mean training loss. Needs torch and h5py (Benchmarks/requirements.txt).
"""
import argparse
import csv
import glob
import json
import os
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F

from peer import eval_patches, load_dataset, make_optimizer, optimizer_step, patch_outputs, sample_batch
from torch_model import learning_rate, make_model, read_config


def read_folds(cv_dir, data):
    """Fold index (0-based) of every track of the data set, from `folds.csv` (first repeat)."""
    with h5py.File(data["file"], "r") as f:
        paths = [p.decode() if isinstance(p, bytes) else p for p in f["tracks/path"][...]]
    index = {p: i for i, p in enumerate(paths)}
    fold = np.full(len(paths), -1, dtype=np.int64)
    with open(os.path.join(cv_dir, "folds.csv")) as f:
        for row in csv.DictReader(f):
            if int(row["repeat"]) == 1:
                fold[index[row["path"]]] = int(row["fold"]) - 1
    if (fold < 0).any():
        raise SystemExit(f"{cv_dir}/folds.csv: {int((fold < 0).sum())} tracks of the data set have no fold")
    return fold


def augment(x, labels, n_classes, aug, std, rng):
    """melcnn's PatchAugmenter in order (docs/training.md): gain, time masks, frequency masks,
    per-pair mixup. x [B, n_mels, T] standardised; returns (x, soft targets [B, classes])."""
    b, n_mels, frames = x.shape
    if aug["gain_db"] > 0:
        g = rng.uniform(-aug["gain_db"], aug["gain_db"], size=(b, 1, 1)).astype(np.float32)
        x = x + g / np.maximum(std, 1e-5)[None, :, None]
    for i in range(b):
        for _ in range(aug["time_masks"]):
            w = int(rng.integers(0, aug["time_mask_width"] + 1))
            t0 = int(rng.integers(0, frames - w + 1))
            x[i, :, t0:t0 + w] = 0
        for _ in range(aug["freq_masks"]):
            w = int(rng.integers(0, aug["freq_mask_width"] + 1))
            f0 = int(rng.integers(0, n_mels - w + 1))
            x[i, f0:f0 + w, :] = 0
    targets = np.eye(n_classes, dtype=np.float32)[labels]
    if aug["mixup_alpha"] > 0:  # Zhang et al. 2018, one lambda per pair as PANNs
        perm = rng.permutation(b)
        lam = rng.beta(aug["mixup_alpha"], aug["mixup_alpha"], size=b).astype(np.float32)
        x = lam[:, None, None] * x + (1 - lam[:, None, None]) * x[perm]
        targets = lam[:, None] * targets + (1 - lam[:, None]) * targets[perm]
    return np.ascontiguousarray(x, dtype=np.float32), targets


def evaluate(model, data, tracks, length, hop, batch=64):
    """Patch and track accuracy (mean patch probability per track) over `tracks`."""
    split = data["split"].copy()
    data["split"] = np.full_like(split, 0)
    data["split"][tracks] = 2
    x, ids = eval_patches(data, 2, length, hop)
    data["split"] = split
    probs = patch_outputs(model, x, lambda z: F.softmax(z, dim=1), batch)
    labels = data["label"][ids]
    patch_acc = float((probs.argmax(1) == labels).mean())
    held = np.unique(ids)
    track_probs = np.stack([probs[ids == t].mean(0) for t in held])
    return patch_acc, float((track_probs.argmax(1) == data["label"][held]).mean()), track_probs


def run_fold(cfg, data, fold_of, k):
    tr, aug, length = cfg["train"], cfg.get("augment", {}), cfg["data"]["patch_frames"]
    active = any(aug.get(key, 0) for key in ("time_masks", "freq_masks", "mixup_alpha", "gain_db"))
    torch.manual_seed(tr["seed"])
    rng = np.random.default_rng(tr["seed"])
    n_classes = len(data["classes"])
    model = make_model(cfg["model"], data["mels"].shape[1], n_classes)
    opt = make_optimizer(tr, model.parameters())
    train_tracks = np.nonzero(fold_of != k)[0]
    steps = tr["steps_per_epoch"] or max(1, int(data["frames"][train_tracks].sum()) // length // tr["batch_size"])
    start = time.perf_counter()
    best_state, best_loss, best_epoch = None, float("inf"), 0
    for epoch in range(tr["epochs"]):
        for group in opt.param_groups:
            group["lr"] = learning_rate(tr, epoch)
        model.train()
        loss_sum = 0.0
        for _ in range(steps):
            tracks, xb = sample_batch(data, rng, train_tracks, tr["batch_size"], length)
            labels = data["label"][tracks]
            if active:
                xb, targets = augment(xb, labels, n_classes, aug, data["std"], rng)
                target = torch.from_numpy(targets)
            else:
                target = torch.from_numpy(labels)
            loss = F.cross_entropy(model(torch.from_numpy(xb)), target, label_smoothing=tr["label_smoothing"])
            optimizer_step(model, opt, loss, tr["grad_clip"])
            loss_sum += loss.item()
        if loss_sum / steps < best_loss:  # melcnn without validation: lowest training loss
            best_loss, best_epoch = loss_sum / steps, epoch + 1
            best_state = {name: v.clone() for name, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    hop = cfg["eval"]["patch_hop"] or max(1, length // 2)
    patch_acc, track_acc, track_probs = evaluate(model, data, np.nonzero(fold_of == k)[0], length, hop)
    return {"fold": k + 1, "patch_accuracy": patch_acc, "track_accuracy": track_acc, "best_epoch": best_epoch,
            "steps_per_epoch": steps, "seconds": time.perf_counter() - start}, track_probs


def run_ensemble(cfgs, data, fold_of, k):
    """One model per config on fold k; the fold's track accuracy is their mean track probabilities'."""
    rows, probs = zip(*(run_fold(cfg, data, fold_of, k) for cfg in cfgs))
    if len(cfgs) == 1:
        return rows[0]
    held = np.nonzero(fold_of == k)[0]
    mean = np.mean(probs, axis=0)
    return {"fold": k + 1, "patch_accuracy": float(np.mean([r["patch_accuracy"] for r in rows])),
            "track_accuracy": float((mean.argmax(1) == data["label"][held]).mean()),
            "member_track_accuracy": [r["track_accuracy"] for r in rows], "best_epoch": rows[0]["best_epoch"],
            "seconds": float(sum(r["seconds"] for r in rows))}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--cv", required=True, help="melcnn cv folder (folds.csv, fold-1/config.yaml)")
    ap.add_argument("--config", action="append",
                    help="resolved config, repeated for an ensemble (default: CV/fold-1/config.yaml or CV/fold-1/member-*/config.yaml)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--folds", help="comma-separated 1-based folds to run (default: all)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    members = sorted(glob.glob(os.path.join(args.cv, "fold-1", "member-*", "config.yaml")),
                     key=lambda p: int(p.split("member-")[-1].split(os.sep)[0]))
    cfgs = [read_config(p) for p in (args.config or members or [os.path.join(args.cv, "fold-1", "config.yaml")])]
    data = load_dataset(args.data)
    data["file"] = args.data
    fold_of = read_folds(args.cv, data)
    chosen = [int(x) - 1 for x in args.folds.split(",")] if args.folds else range(int(fold_of.max()) + 1)
    rows = []
    for k in chosen:
        rows.append(run_ensemble(cfgs, data, fold_of, k))
        print(json.dumps(rows[-1]), flush=True)
    summary = {key: {"mean": float(np.mean([r[key] for r in rows])),
                     "std": float(np.std([r[key] for r in rows], ddof=1)) if len(rows) > 1 else 0.0}
               for key in ("patch_accuracy", "track_accuracy", "seconds")}
    print(json.dumps({"folds": len(rows), **summary}))
    print(f"peer: track accuracy {100 * summary['track_accuracy']['mean']:.2f} ± "
          f"{100 * summary['track_accuracy']['std']:.2f}%", file=sys.stderr)


if __name__ == "__main__":
    main()
