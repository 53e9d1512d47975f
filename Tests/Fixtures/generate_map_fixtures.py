"""scikit-learn reference fixture for melcnn's maps and clusters (PCA, t-SNE, k-means, metrics).

Run from the repository root with the pinned peers (Tests/Fixtures/requirements.txt):

    /work/venv-map/bin/python Tests/Fixtures/generate_map_fixtures.py

Writes Tests/Fixtures/map_clusters.h5:
    x                float32 [300, 20]  4 overlapping Gaussian clusters (the input, as stored)
    labels           int32   [300]      the generating cluster of each point
    pca              float64 [300, 2]   PCA(n_components=2).fit_transform(x)
    tsne             float64 [300, 2]   TSNE(random_state=0).fit_transform(x) (default barnes_hut)
    tsne_exact       float64 [300, 2]   TSNE(method="exact", random_state=0).fit_transform(x)
    kmeans_labels    int32   [300]      KMeans(4, n_init=10, random_state=0).fit(x).labels_
    random_labels    int32   [300]      a random labelling with 5 values (for ARI/NMI)
attributes: tsne_trustworthiness, tsne_kl, tsne_exact_trustworthiness, tsne_exact_kl,
pca_trustworthiness (all trustworthiness with n_neighbors=10), kmeans_inertia,
ari_kmeans, nmi_kmeans, ari_random, nmi_random (adjusted_rand_score /
normalized_mutual_info_score of labels vs the labelling), silhouette_kmeans
(silhouette_score of x with kmeans_labels), sklearn_version.
"""
import os

import h5py
import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score, silhouette_score

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "map_clusters.h5")
rng = np.random.RandomState(1234)
n, d, k = 300, 20, 4
centers = rng.normal(0.0, 3.0, size=(k, d))
labels = np.repeat(np.arange(k), n // k)
x = (centers[labels] + rng.normal(0.0, 2.5, size=(n, d))).astype(np.float32)
x64 = x.astype(np.float64)

pca = PCA(n_components=2).fit_transform(x64)
tsne_model = TSNE(random_state=0)
tsne = tsne_model.fit_transform(x64)
exact_model = TSNE(method="exact", random_state=0)
tsne_exact = exact_model.fit_transform(x64)
km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(x64)
random_labels = rng.randint(0, 5, size=n)

with h5py.File(OUT, "w") as f:
    f["x"] = x
    f["labels"] = labels.astype(np.int32)
    f["pca"] = pca.astype(np.float64)
    f["tsne"] = tsne.astype(np.float64)
    f["tsne_exact"] = tsne_exact.astype(np.float64)
    f["kmeans_labels"] = km.labels_.astype(np.int32)
    f["random_labels"] = random_labels.astype(np.int32)
    a = f.attrs
    a["sklearn_version"] = sklearn.__version__
    a["tsne_trustworthiness"] = trustworthiness(x64, tsne, n_neighbors=10)
    a["tsne_kl"] = float(tsne_model.kl_divergence_)
    a["tsne_exact_trustworthiness"] = trustworthiness(x64, tsne_exact, n_neighbors=10)
    a["tsne_exact_kl"] = float(exact_model.kl_divergence_)
    a["pca_trustworthiness"] = trustworthiness(x64, pca, n_neighbors=10)
    a["kmeans_inertia"] = float(km.inertia_)
    a["ari_kmeans"] = adjusted_rand_score(labels, km.labels_)
    a["nmi_kmeans"] = normalized_mutual_info_score(labels, km.labels_)
    a["ari_random"] = adjusted_rand_score(labels, random_labels)
    a["nmi_random"] = normalized_mutual_info_score(labels, random_labels)
    a["silhouette_kmeans"] = silhouette_score(x64, km.labels_)
    for key in sorted(a):
        print(key, a[key])
