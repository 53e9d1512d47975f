"""PyTorch reference for melcnn's soft-target cross-entropy (mixup's loss).

Run from the repository root with the pinned peers (Tests/Fixtures/requirements.txt):

    python Tests/Fixtures/generate_soft_ce_fixture.py

Writes Tests/Fixtures/nn_soft_cross_entropy.h5 in the nn_layers.h5 layout: one group per
case with x (logits [N, K]), targets (float32 class probabilities [N, K], mixup-style
pairs lambda * onehot(a) + (1 - lambda) * onehot(b)), out (F.cross_entropy with
probability targets, reduction='mean'), dout (upstream gradient), grad_x, and the
attribute label_smoothing.
"""
import os

import h5py
import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_soft_cross_entropy.h5")
torch.manual_seed(4321)


def mixed_targets(n, k):
    a, b = torch.randint(0, k, (n,)), torch.randint(0, k, (n,))
    lam = torch.distributions.Beta(0.4, 0.4).sample((n,)).unsqueeze(1)
    return lam * F.one_hot(a, k).float() + (1 - lam) * F.one_hot(b, k).float()


with h5py.File(OUT + ".tmp", "w") as f:
    f.attrs.create("torch_version", str(torch.__version__), dtype=h5py.string_dtype())
    for name, (n, k, eps) in {"soft_cross_entropy": (8, 5, 0.0), "soft_cross_entropy_smoothed": (6, 7, 0.1)}.items():
        x = (torch.randn(n, k) * 2).requires_grad_(True)
        t = mixed_targets(n, k)
        out = F.cross_entropy(x, t, label_smoothing=eps)
        dout = torch.tensor(0.7)
        (out * dout).backward()
        g = f.create_group(name)
        for key, v in {"x": x.detach(), "targets": t, "out": out.detach(), "dout": dout, "grad_x": x.grad}.items():
            g.create_dataset(key, data=v.numpy().astype(np.float32))
        g.attrs["label_smoothing"] = np.float32(eps)
os.replace(OUT + ".tmp", OUT)
print(f"wrote {OUT}, {os.path.getsize(OUT)} bytes")
