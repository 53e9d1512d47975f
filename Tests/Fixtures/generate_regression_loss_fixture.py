"""PyTorch reference for melcnn's factor-regression losses (cold start: audio -> ALS factors).

Run from the repository root with the pinned peers (Tests/Fixtures/requirements.txt):

    python Tests/Fixtures/generate_regression_loss_fixture.py

Writes Tests/Fixtures/nn_regression_loss.h5 in the nn_layers.h5 layout: one group per case
with x (predictions [N, K]), targets (float32 [N, K]), out (the loss), dout (upstream
gradient) and grad_x. Cases: torch.nn.functional.mse_loss (reduction='mean') and
1 - torch.nn.functional.cosine_similarity(x, targets, dim=1, eps=1e-8).mean(), the second
also with a zero prediction row and a zero target row (the eps clamps).
"""
import os

import h5py
import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_regression_loss.h5")
torch.manual_seed(2014)

with h5py.File(OUT + ".tmp", "w") as f:
    f.attrs.create("torch_version", str(torch.__version__), dtype=h5py.string_dtype())
    for name, (n, k, loss, zeros) in {"mse": (6, 8, "mse", False),
                                      "cosine": (7, 5, "cosine", False),
                                      "cosine_zero_rows": (4, 6, "cosine", True)}.items():
        x = torch.randn(n, k) * 0.8
        t = torch.randn(n, k) * 0.5
        if zeros:
            x[1].zero_()
            t[2].zero_()
        x.requires_grad_(True)
        if loss == "mse":
            out = F.mse_loss(x, t)
        else:
            out = 1 - F.cosine_similarity(x, t, dim=1, eps=1e-8).mean()
        dout = torch.tensor(1.3)
        (out * dout).backward()
        g = f.create_group(name)
        for key, v in {"x": x.detach(), "targets": t, "out": out.detach(), "dout": dout, "grad_x": x.grad}.items():
            g.create_dataset(key, data=v.numpy().astype(np.float32))
os.replace(OUT + ".tmp", OUT)
print(f"wrote {OUT}, {os.path.getsize(OUT)} bytes")
