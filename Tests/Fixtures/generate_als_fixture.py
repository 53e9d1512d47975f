"""Fixture of the ALS and ranking-metric tests (Tests/MelCNNTests/Recommendation).

Input: Tests/Fixtures/als/plays.csv, written by
    melcnn synth /tmp/small --genres 5 --per-genre 20 --listeners 300 --tracks-per-listener 5-20 --seed 7 --no-audio
Output: Tests/Fixtures/als/implicit.h5 in melcnn's factors.h5 layout (docs/formats.md):
  - the training and held-out plays (each user with n >= 2 tracks holds out min(n - 1, round(0.2 n))
    of them, numpy default_rng(0) permutation), ids in order of first appearance as melcnn reads them;
  - the factors of `implicit` 0.7.2 (CPU AlternatingLeastSquares, conjugate gradient, 3 steps,
    random_state 0, one thread) on data = 1 + alpha * count with implicit's alpha = 1
    (melcnn's confidence c = 1 + alpha * count);
  - attributes ref_map / ref_auc: mAP@500 and mean per-user AUC of those factors, and
    ref_pop_map / ref_pop_auc of the popularity baseline (ties!), computed here: AP@500 by hand
    on numpy's stable argsort of -score (ties by track index), AUC by sklearn.metrics.roc_auc_score
    over the candidates (tracks not played in training);
  - /init/users, /init/tracks: the initial factors implicit draws for random_state 0, so that melcnn
    can start from the same point (the test then compares factors, not only metrics);
  - implicit_map_mean/std, implicit_auc_mean/std over random_state 0..9: the spread that the
    parity test's tolerance is built from.
Run: python Tests/Fixtures/generate_als_fixture.py   (requirements: Tests/Fixtures/requirements.txt)
"""
import csv
import os

import h5py
import numpy as np
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
FACTORS, ITERATIONS, REG, ALPHA, K = 16, 15, 0.01, 40.0, 500


def read_plays(path):
    users, tracks, rows = {}, {}, {}
    with open(path, newline="") as f:
        for i, (u, t, c) in enumerate(csv.reader(f)):
            if i == 0 and (u, t, c) == ("user", "track", "count"):
                continue
            ui = users.setdefault(u, len(users))
            ti = tracks.setdefault(t, len(tracks))
            rows[(ui, ti)] = rows.get((ui, ti), 0.0) + float(c)
    m = sp.dok_matrix((len(users), len(tracks)), dtype=np.float32)
    for (u, t), c in rows.items():
        m[u, t] = c
    return list(users), list(tracks), m.tocsr()


def split(m, fraction=0.2, seed=0):
    rng = np.random.default_rng(seed)
    train, test = m.tolil(copy=True), sp.lil_matrix(m.shape, dtype=np.float32)
    for u in range(m.shape[0]):
        cols = m.indices[m.indptr[u]:m.indptr[u + 1]]
        n = len(cols)
        held = min(n - 1, int(round(fraction * n))) if n >= 2 else 0
        for t in rng.permutation(cols)[:held]:
            test[u, t] = m[u, t]
            train[u, t] = 0
    train = train.tocsr()
    train.eliminate_zeros()
    return train, test.tocsr()


def metrics(score_fn, train, test):
    aps, aucs = [], []
    for u in range(train.shape[0]):
        rel = set(test.indices[test.indptr[u]:test.indptr[u + 1]])
        if not rel:
            continue
        played = set(train.indices[train.indptr[u]:train.indptr[u + 1]])
        cand = np.array([t for t in range(train.shape[1]) if t not in played])
        s = score_fn(u)[cand]
        labels = np.array([t in rel for t in cand])
        order = np.argsort(-s, kind="stable")  # ties: lower track index first
        hits, ap = 0, 0.0
        for rank, j in enumerate(order[:K], start=1):
            if labels[j]:
                hits += 1
                ap += hits / rank
        aps.append(ap / min(len(rel), K))
        if labels.sum() < len(labels):
            aucs.append(roc_auc_score(labels, s))
    return float(np.mean(aps)), float(np.mean(aucs))


def fit(train, seed, init=None):
    from implicit.cpu.als import AlternatingLeastSquares
    cui = train.copy()
    cui.data = 1.0 + ALPHA * cui.data
    model = AlternatingLeastSquares(factors=FACTORS, regularization=REG, alpha=1.0, iterations=ITERATIONS,
                                    random_state=seed, num_threads=1)
    if init is not None:  # implicit starts from factors already set
        model.user_factors, model.item_factors = init[0].copy(), init[1].copy()
    model.fit(cui, show_progress=False)
    return np.asarray(model.user_factors), np.asarray(model.item_factors)


def triplets(m):
    m = m.tocoo()
    order = np.lexsort((m.col, m.row))
    return m.row[order].astype(np.int32), m.col[order].astype(np.int32), m.data[order].astype(np.float32)


def main():
    import implicit
    users, tracks, plays = read_plays(os.path.join(HERE, "als", "plays.csv"))
    train, test = split(plays)
    # implicit's own initialisation for random_state=0 (check_random_state -> default_rng(0)),
    # stored so that melcnn can start from the same point.
    rng = np.random.default_rng(0)
    init = (rng.random((len(users), FACTORS), dtype=np.float32) * 0.01,
            rng.random((len(tracks), FACTORS), dtype=np.float32) * 0.01)
    x, y = fit(train, 0, init)
    x0, y0 = fit(train, 0)
    assert np.array_equal(x, x0) and np.array_equal(y, y0), "init differs from implicit's own"
    ref = metrics(lambda u: y @ x[u], train, test)
    popularity = np.diff(train.tocsc().indptr).astype(np.float32)
    pop = metrics(lambda u: popularity, train, test)
    runs = [metrics(lambda u, x=x, y=y: y @ x[u], train, test) for x, y in (fit(train, s) for s in range(10))]
    runs = np.array(runs)
    print("implicit seed 0: mAP@500 %.6f AUC %.6f; popularity %.6f %.6f" % (ref + pop))
    print("implicit seeds 0-9: mAP %.6f +- %.6f, AUC %.6f +- %.6f"
          % (runs[:, 0].mean(), runs[:, 0].std(ddof=1), runs[:, 1].mean(), runs[:, 1].std(ddof=1)))
    with h5py.File(os.path.join(HERE, "als", "implicit.h5"), "w") as f:
        a = f.attrs
        a["format"], a["version"] = "melcnn-factors", np.int32(1)
        a["factors"], a["iterations"] = np.int32(FACTORS), np.int32(ITERATIONS)
        a["regularization"], a["alpha"] = np.float32(REG), np.float32(ALPHA)
        a["seed"], a["cg_steps"] = np.uint64(0), np.int32(3)
        a["confidence"], a["holdout"], a["plays"] = "1 + alpha * count", 0.2, "implicit " + implicit.__version__
        a["ref_map"], a["ref_auc"] = ref
        a["ref_pop_map"], a["ref_pop_auc"] = pop
        a["implicit_map_mean"], a["implicit_map_std"] = runs[:, 0].mean(), runs[:, 0].std(ddof=1)
        a["implicit_auc_mean"], a["implicit_auc_std"] = runs[:, 1].mean(), runs[:, 1].std(ddof=1)
        f.create_dataset("users/id", data=np.array(users, dtype=h5py.string_dtype()))
        f.create_dataset("tracks/id", data=np.array(tracks, dtype=h5py.string_dtype()))
        f["users/factors"], f["tracks/factors"] = x.astype(np.float32), y.astype(np.float32)
        f["init/users"], f["init/tracks"] = init
        for group, m in (("plays", train), ("holdout", test)):
            u, t, c = triplets(m)
            f[group + "/user"], f[group + "/track"], f[group + "/count"] = u, t, c


if __name__ == "__main__":
    main()
