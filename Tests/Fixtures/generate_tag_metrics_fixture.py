"""scikit-learn reference for melcnn's multi-label tag metrics (TagMetrics / TagReport).

Run from the repository root with the pinned peers (Tests/Fixtures/requirements.txt):

    python Tests/Fixtures/generate_tag_metrics_fixture.py

Writes Tests/Fixtures/tag_metrics.h5: one group per case with
  labels      uint8 [tracks, tags]  (0/1)
  scores      float32 [tracks, tags] (on a 0.05 grid, so many scores tie)
  roc_auc     float64 [tags]  roc_auc_score per tag, NaN where undefined (one class only)
  ap          float64 [tags]  average_precision_score per tag, NaN where no positives
  precision, recall, f1  float64 [tags]  precision_recall_fscore_support at score >= 0.5
  best_threshold float32 [tags]  the threshold of precision_recall_curve maximising F1
              (np.argmax: the lowest on ties), 0.5 where no positives
  attributes macro_roc_auc, macro_ap (mean over tags with both classes), micro_roc_auc,
  micro_ap (average='micro').
Case "basic" has a tag with no positive track and a tag with no negative track.
"""
import os
import warnings

import h5py
import numpy as np
import sklearn
from sklearn.metrics import (average_precision_score, precision_recall_curve,
                             precision_recall_fscore_support, roc_auc_score)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tag_metrics.h5")
rng = np.random.default_rng(2014)


def case(n, k, empty_tag=None, full_tag=None):
    labels = (rng.random((n, k)) < 0.3).astype(np.uint8)
    if empty_tag is not None:
        labels[:, empty_tag] = 0
    if full_tag is not None:
        labels[:, full_tag] = 1
    # Informative but noisy scores on a coarse grid: ties within and across classes.
    raw = 0.35 * labels + 0.65 * rng.random((n, k))
    scores = (np.round(raw * 20) / 20).astype(np.float32)
    return labels, scores


def reference(labels, scores):
    k = labels.shape[1]
    out = {name: np.full(k, np.nan) for name in ["roc_auc", "ap", "precision", "recall", "f1"]}
    out["best_threshold"] = np.full(k, 0.5, dtype=np.float32)
    s64 = scores.astype(np.float64)
    for c in range(k):
        y, s = labels[:, c], s64[:, c]
        if 0 < y.sum() < len(y):
            out["roc_auc"][c] = roc_auc_score(y, s)
        if y.sum() > 0:
            out["ap"][c] = average_precision_score(y, s)
            p, r, t = precision_recall_curve(y, s)
            # F1 as 2tp / (2tp + fp + fn) = 2pr / (p + r); argmax: first (lowest threshold) maximum.
            with np.errstate(invalid="ignore", divide="ignore"):
                f1 = np.where(p[:-1] + r[:-1] > 0, 2 * p[:-1] * r[:-1] / (p[:-1] + r[:-1]), 0)
            best = np.flatnonzero(np.isclose(f1, f1.max(), rtol=0, atol=1e-12))[0]
            out["best_threshold"][c] = np.float32(t[best])
        pr = precision_recall_fscore_support(y, (s >= 0.5).astype(np.uint8), average="binary", zero_division=0)
        out["precision"][c], out["recall"][c], out["f1"][c] = pr[0], pr[1], pr[2]
    defined = ~np.isnan(out["roc_auc"])
    attrs = {
        "macro_roc_auc": out["roc_auc"][defined].mean(),
        "macro_ap": out["ap"][defined].mean(),
        "micro_roc_auc": roc_auc_score(labels, s64, average="micro"),
        "micro_ap": average_precision_score(labels, s64, average="micro"),
    }
    return out, attrs


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with h5py.File(OUT + ".tmp", "w") as f:
        f.attrs.create("sklearn_version", sklearn.__version__, dtype=h5py.string_dtype())
        for name, args in {"basic": (40, 6, 4, 5), "larger": (300, 5, None, None)}.items():
            labels, scores = case(*args)
            out, attrs = reference(labels, scores)
            g = f.create_group(name)
            g.create_dataset("labels", data=labels)
            g.create_dataset("scores", data=scores)
            for key, v in out.items():
                g.create_dataset(key, data=v)
            for key, v in attrs.items():
                g.attrs[key] = np.float64(v)
os.replace(OUT + ".tmp", OUT)
print(f"wrote {OUT}, {os.path.getsize(OUT)} bytes")
