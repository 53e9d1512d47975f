"""Fold assignments of scikit-learn's StratifiedGroupKFold(shuffle=False) on small grouped
sets, for CrossValidationTests (melcnn's folds without shuffling must match exactly).
Run: python Tests/Fixtures/generate_cv_fixture.py  (scikit-learn 1.9.1) -> Tests/Fixtures/cv_folds.json"""
import json
import os

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

rng = np.random.default_rng(13)
cases = []
for n, classes, groups, k in [(60, 3, 20, 3), (90, 4, 25, 5), (40, 2, 12, 4), (120, 5, 40, 5)]:
    g = rng.integers(0, groups, n)
    # Labels correlated with the group (an album mostly of one class), some mixed.
    y = np.where(rng.random(n) < 0.8, g % classes, rng.integers(0, classes, n))
    names = [f"g{x:02d}" for x in g]
    fold = np.zeros(n, dtype=int)
    for i, (_, test) in enumerate(StratifiedGroupKFold(n_splits=k, shuffle=False).split(np.zeros(n), y, names)):
        fold[test] = i
    cases.append({"k": k, "labels": y.tolist(), "groups": names, "folds": fold.tolist()})
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cv_folds.json")
with open(out, "w") as f:
    json.dump(cases, f)
print("wrote", out)
