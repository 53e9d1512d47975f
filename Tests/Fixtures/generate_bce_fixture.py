"""PyTorch reference for melcnn's binary cross-entropy on logits (multi-label tagging's loss).

Run from the repository root with the pinned peers (Tests/Fixtures/requirements.txt):

    python Tests/Fixtures/generate_bce_fixture.py

Writes Tests/Fixtures/nn_bce_logits.h5 in the nn_layers.h5 layout: one group per case with
x (logits [N, K], some large enough to overflow a naive exp), targets (float32 [N, K]: 0/1,
or mixup-style soft values), out (torch.nn.BCEWithLogitsLoss, reduction='mean'), dout
(upstream gradient), grad_x, and pos_weight [K] where the case has one.
"""
import os

import h5py
import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_bce_logits.h5")
torch.manual_seed(2013)

with h5py.File(OUT + ".tmp", "w") as f:
    f.attrs.create("torch_version", str(torch.__version__), dtype=h5py.string_dtype())
    for name, (n, k, weighted, soft) in {"bce_logits": (8, 5, False, False),
                                         "bce_logits_pos_weight": (6, 7, True, False),
                                         "bce_logits_soft": (5, 4, True, True)}.items():
        x = torch.randn(n, k) * 4
        x[0, 0], x[1, 1] = 60.0, -60.0  # exp(60) overflows float32 in a naive form
        x.requires_grad_(True)
        t = torch.rand(n, k) if soft else (torch.rand(n, k) < 0.3).float()
        w = torch.rand(k) * 4 + 0.25 if weighted else None
        out = torch.nn.BCEWithLogitsLoss(pos_weight=w)(x, t)
        dout = torch.tensor(0.7)
        (out * dout).backward()
        g = f.create_group(name)
        arrays = {"x": x.detach(), "targets": t, "out": out.detach(), "dout": dout, "grad_x": x.grad}
        if w is not None:
            arrays["pos_weight"] = w
        for key, v in arrays.items():
            g.create_dataset(key, data=v.numpy().astype(np.float32))
os.replace(OUT + ".tmp", OUT)
print(f"wrote {OUT}, {os.path.getsize(OUT)} bytes")
