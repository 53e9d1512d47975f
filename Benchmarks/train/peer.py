"""PyTorch peer of `melcnn train` + `melcnn eval`: the same architecture, optimiser, schedule
and patch sampling on the same dataset.h5 (read with h5py), then track-level test accuracy.

usage: peer.py --data DATA.h5 --config RUN/config.yaml [--threads 1] [--name train_demo]
Prints JSON lines: {"name": <name>_fit, "ms": training ms, "patch_acc", "track_acc", ...}
(the weights with the best validation track accuracy, as melcnn's best.h5).
"""
import argparse
import json
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F

from torch_model import GenreCNN, learning_rate, read_config


def load_dataset(path):
    with h5py.File(path, "r") as f:
        data = {
            "mels": f["mels"][...].astype(np.float32),
            "offset": f["tracks/offset"][...].astype(np.int64),
            "frames": f["tracks/frames"][...].astype(np.int64),
            "label": f["tracks/label"][...].astype(np.int64),
            "split": f["tracks/split"][...].astype(np.int64),
            "classes": [c.decode() if isinstance(c, bytes) else c for c in f["classes"][...]],
            "mean": f["stats/mean"][...].astype(np.float32),
            "std": f["stats/std"][...].astype(np.float32),
        }
    data["mels"] = (data["mels"] - data["mean"]) / np.maximum(data["std"], 1e-5)
    return data


def patch(data, track, start, length):
    """[n_mels, length] patch; tracks shorter than a patch are zero-padded at the end."""
    off, n = data["offset"][track], data["frames"][track]
    x = np.zeros((length, data["mels"].shape[1]), dtype=np.float32)
    take = min(length, n - start)
    x[:take] = data["mels"][off + start: off + start + take]
    return x.T


def eval_patches(data, split, length, hop):
    """Sequential patches of every track of `split`: (patches [P, n_mels, T], track ids)."""
    xs, ids = [], []
    for t in np.nonzero(data["split"] == split)[0]:
        n = data["frames"][t]
        starts = list(range(0, max(1, n - length + 1), hop)) or [0]
        if n > length and starts[-1] != n - length:
            starts.append(n - length)
        for s in starts:
            xs.append(patch(data, t, s, length))
            ids.append(t)
    return np.stack(xs), np.array(ids)


def patch_outputs(model, x, activation, batch=64):
    """activation(model(x)) in evaluation mode, `batch` patches at a time."""
    model.eval()
    probs = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            probs.append(activation(model(torch.from_numpy(x[i:i + batch]))).numpy())
    return np.concatenate(probs)


def setup(default_name):
    """The peers' command line, threads, config, seeds and data set: (args, cfg, rng, data)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--name", default=default_name)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    cfg = read_config(args.config)
    torch.manual_seed(cfg["train"]["seed"])
    rng = np.random.default_rng(cfg["train"]["seed"])
    return args, cfg, rng, load_dataset(args.data)


def make_optimizer(tr, params):
    """The optimiser of the config's train section."""
    if tr["optimizer"] == "sgd":
        return torch.optim.SGD(params, lr=tr["lr"], momentum=tr["momentum"], nesterov=tr["nesterov"],
                               weight_decay=tr["weight_decay"])
    if tr["optimizer"] == "adam":
        return torch.optim.Adam(params, lr=tr["lr"], betas=(tr["beta1"], tr["beta2"]), weight_decay=tr["weight_decay"])
    return torch.optim.AdamW(params, lr=tr["lr"], betas=(tr["beta1"], tr["beta2"]), weight_decay=tr["weight_decay"])


def sample_batch(data, rng, train_tracks, batch_size, length):
    """melcnn's `tracks` sampling: uniform tracks, a uniform start in each: (tracks, patches [B, n_mels, T])."""
    tracks = rng.choice(train_tracks, batch_size)
    return tracks, np.stack([patch(data, t, int(rng.integers(0, max(1, data["frames"][t] - length + 1))), length)
                             for t in tracks])


def optimizer_step(model, opt, loss, grad_clip):
    opt.zero_grad()
    loss.backward()
    if grad_clip > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
    opt.step()


def evaluate(model, data, split, length, hop, batch=64):
    x, ids = eval_patches(data, split, length, hop)
    probs = patch_outputs(model, x, lambda z: F.softmax(z, dim=1), batch)
    labels = data["label"][ids]
    patch_acc = float((probs.argmax(1) == labels).mean())
    tracks = np.unique(ids)
    track_pred = np.array([probs[ids == t].mean(0).argmax() for t in tracks])
    track_acc = float((track_pred == data["label"][tracks]).mean())
    return patch_acc, track_acc


def main():
    args, cfg, rng, data = setup("train_demo")
    tr, length = cfg["train"], cfg["data"]["patch_frames"]
    model = GenreCNN(cfg["model"], data["mels"].shape[1], len(data["classes"]))
    opt = make_optimizer(tr, model.parameters())
    train_tracks = np.nonzero(data["split"] == 0)[0]
    train_frames = int(data["frames"][train_tracks].sum())
    steps = tr["steps_per_epoch"] or max(1, train_frames // length // tr["batch_size"])
    hop = cfg["eval"]["patch_hop"] or max(1, length // 2)
    has_validation = bool((data["split"] == 1).any())
    best_state, best_acc = None, -1.0
    step_times = []
    start = time.perf_counter()
    for epoch in range(tr["epochs"]):
        for group in opt.param_groups:
            group["lr"] = learning_rate(tr, epoch)
        model.train()
        for _ in range(steps):
            t0 = time.perf_counter()
            tracks, xb = sample_batch(data, rng, train_tracks, tr["batch_size"], length)
            yb = torch.from_numpy(data["label"][tracks])
            loss = F.cross_entropy(model(torch.from_numpy(xb)), yb, label_smoothing=tr["label_smoothing"])
            optimizer_step(model, opt, loss, tr["grad_clip"])
            step_times.append(time.perf_counter() - t0)
        # Keep the weights with the best validation track accuracy, as melcnn's best.h5.
        if has_validation:
            _, val_acc = evaluate(model, data, 1, length, hop)
            if val_acc > best_acc:
                best_acc = val_acc
                best_state = {k: v.clone() for k, v in model.state_dict().items()}
    fit_ms = (time.perf_counter() - start) * 1000
    if best_state is not None:
        model.load_state_dict(best_state)
    patch_acc, track_acc = evaluate(model, data, 2, length, hop)
    print(json.dumps({"name": f"{args.name}_fit", "ms": fit_ms, "test_patch_acc": patch_acc,
                      "test_track_acc": track_acc, "epochs": tr["epochs"], "steps_per_epoch": steps}))
    print(f"peer: median step {np.median(step_times) * 1000:.2f} ms, best validation track accuracy {best_acc:.4f}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
