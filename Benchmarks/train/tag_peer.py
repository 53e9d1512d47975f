"""PyTorch peer of `melcnn train` + `melcnn eval` for a tag model: the same architecture,
optimiser, schedule and patch sampling as peer.py, with one sigmoid per tag and
`BCEWithLogitsLoss` (pos_weight as `train.pos_weight`), on the same tagged dataset.h5; the
weights with the best validation macro ROC-AUC, then test-split macro/micro ROC-AUC and PR-AUC
of the track scores (mean patch sigmoid) with scikit-learn.

usage: tag_peer.py --data TAGS.h5 --config RUN/config.yaml [--threads 2] [--name train_tags]
Prints one JSON line: {"name": <name>_fit, "ms", "test_macro_roc_auc", "test_macro_ap",
"test_micro_roc_auc", "test_micro_ap", "best_val_macro_roc_auc", "epochs", "steps_per_epoch"}.
Needs torch, h5py and scikit-learn (Benchmarks/requirements.txt).
"""
import json
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import average_precision_score, roc_auc_score

from peer import eval_patches, make_optimizer, optimizer_step, patch_outputs, sample_batch, setup
from torch_model import GenreCNN, learning_rate


def track_scores(model, data, split, length, hop, batch=64):
    """Mean patch sigmoid per track of `split`: (scores [tracks, tags], labels [tracks, tags])."""
    x, ids = eval_patches(data, split, length, hop)
    probs = patch_outputs(model, x, torch.sigmoid, batch)
    tracks = np.unique(ids)
    return np.stack([probs[ids == t].mean(0) for t in tracks]), data["tags"][tracks]


def metrics(scores, labels):
    """Macro averages over the tags with both classes (as melcnn's TagReport), micro over all."""
    defined = [c for c in range(labels.shape[1]) if 0 < labels[:, c].sum() < len(labels)]
    return {
        "macro_roc_auc": float(np.mean([roc_auc_score(labels[:, c], scores[:, c]) for c in defined])),
        "macro_ap": float(np.mean([average_precision_score(labels[:, c], scores[:, c]) for c in defined])),
        "micro_roc_auc": float(roc_auc_score(labels.ravel(), scores.ravel())),
        "micro_ap": float(average_precision_score(labels.ravel(), scores.ravel())),
    }


def main():
    args, cfg, rng, data = setup("train_tags")
    tr, length = cfg["train"], cfg["data"]["patch_frames"]
    with h5py.File(args.data, "r") as f:
        data["tags"] = f["tracks/tags"][...].astype(np.float32)
    n_tags = data["tags"].shape[1]
    model = GenreCNN(cfg["model"], data["mels"].shape[1], n_tags)
    opt = make_optimizer(tr, model.parameters())
    train_tracks = np.nonzero(data["split"] == 0)[0]
    pos_weight = None
    if tr.get("pos_weight", "none") == "auto":
        positives = data["tags"][train_tracks].sum(0)
        pos_weight = torch.from_numpy(np.where(positives > 0, (len(train_tracks) - positives) / np.maximum(positives, 1), 1)
                                      .astype(np.float32))
    train_frames = int(data["frames"][train_tracks].sum())
    steps = tr["steps_per_epoch"] or max(1, train_frames // length // tr["batch_size"])
    hop = cfg["eval"]["patch_hop"] or max(1, length // 2)
    best_state, best_auc = None, -1.0
    start = time.perf_counter()
    for epoch in range(tr["epochs"]):
        for group in opt.param_groups:
            group["lr"] = learning_rate(tr, epoch)
        model.train()
        for _ in range(steps):
            tracks, xb = sample_batch(data, rng, train_tracks, tr["batch_size"], length)
            loss = F.binary_cross_entropy_with_logits(model(torch.from_numpy(xb)), torch.from_numpy(data["tags"][tracks]),
                                                      pos_weight=pos_weight)
            optimizer_step(model, opt, loss, tr["grad_clip"])
        # Keep the weights with the best validation macro ROC-AUC, as melcnn's best.h5 of a tag model.
        val_auc = metrics(*track_scores(model, data, 1, length, hop))["macro_roc_auc"]
        if val_auc > best_auc:
            best_auc = val_auc
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    fit_ms = (time.perf_counter() - start) * 1000
    model.load_state_dict(best_state)
    test = metrics(*track_scores(model, data, 2, length, hop))
    print(json.dumps({"name": f"{args.name}_fit", "ms": fit_ms, **{f"test_{k}": v for k, v in test.items()},
                      "best_val_macro_roc_auc": best_auc, "epochs": tr["epochs"], "steps_per_epoch": steps}))
    print(f"tag peer: test macro ROC-AUC {test['macro_roc_auc']:.4f}, best validation {best_auc:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main()
