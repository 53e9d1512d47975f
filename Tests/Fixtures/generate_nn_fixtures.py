"""PyTorch reference fixtures for melcnn's Tensor kernels (per layer).

Run from the repository root with the pinned peers (Tests/Fixtures/requirements.txt):

    /work/pyenv/bin/python Tests/Fixtures/generate_nn_fixtures.py

Writes Tests/Fixtures/nn_layers.h5. Layout: one group per case, each with
    x, weight, bias (inputs; weight/bias only where the layer has them),
    out (forward output), dout (upstream gradient fed to backward),
    grad_x, grad_weight, grad_bias (gradients of sum(out * dout)),
and the layer's settings as group attributes (op, stride, padding, ...).
Integer targets are int64; everything else float32. The full-training-step fixture of
the Spotify-style network is written by generate_nn_train_step_fixture.py (nn_train_step.h5).

Sections: 1. convolutions  2. pooling  3. global temporal pooling  4. linear / matmul
5. activations  6. losses  7. batch normalisation  8. reductions  9. Winograd-sized convolutions
"""
import os

import h5py
import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_layers.h5")
torch.manual_seed(1234)
cases = {}


def randn(*shape):
    return torch.randn(*shape, dtype=torch.float32)


def case(name, fn, inputs, attrs=None, targets=None):
    """Runs fn(**inputs), backpropagates a random upstream gradient, stores everything."""
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    out = fn(**leaves)
    dout = randn(*out.shape) if out.dim() > 0 else torch.tensor(0.7)
    (out * dout).sum().backward()
    entry = {k: v.detach() for k, v in inputs.items()}
    entry["out"] = out.detach()
    entry["dout"] = dout
    for k, v in leaves.items():
        entry["grad_" + k] = v.grad
    cases[name] = (entry, attrs or {}, targets)


# 1. Convolutions ---------------------------------------------------------------------
for name, (n, cin, l, cout, k, s, p, d, bias) in {
    "conv1d_k4": (2, 5, 17, 6, 4, 1, 0, 1, True),
    "conv1d_k3_s2_p1_d2": (3, 4, 16, 5, 3, 2, 1, 2, True),
    "conv1d_k1_nobias": (2, 7, 9, 3, 1, 1, 0, 1, False),
    "conv1d_k5_s3_p2": (2, 3, 23, 4, 5, 3, 2, 1, True),
}.items():
    inputs = {"x": randn(n, cin, l), "weight": randn(cout, cin, k) * 0.3}
    if bias:
        inputs["bias"] = randn(cout)
    case(name, lambda x, weight, bias=None, s=s, p=p, d=d: F.conv1d(x, weight, bias, stride=s, padding=p, dilation=d),
         inputs, {"op": "conv1d", "stride": s, "padding": p, "dilation": d})

for name, (kh, kw, s, p, d) in {
    "conv2d_k3": (3, 3, (1, 1), (0, 0), (1, 1)),
    "conv2d_k3x2_s21_p10_d12": (3, 2, (2, 1), (1, 0), (1, 2)),
}.items():
    inputs = {"x": randn(2, 3, 7, 8), "weight": randn(4, 3, kh, kw) * 0.3, "bias": randn(4)}
    case(name, lambda x, weight, bias, s=s, p=p, d=d: F.conv2d(x, weight, bias, stride=s, padding=p, dilation=d),
         inputs, {"op": "conv2d", "stride": s, "padding": p, "dilation": d})

# 2. Pooling ---------------------------------------------------------------------------
for name, (op, k, s, p) in {
    "maxpool1d_k4": ("max", 4, 4, 0),
    "maxpool1d_k3_s2_p1": ("max", 3, 2, 1),
    "avgpool1d_k3_s2_p1": ("avg", 3, 2, 1),
    "avgpool1d_k2": ("avg", 2, 2, 0),
}.items():
    f = F.max_pool1d if op == "max" else F.avg_pool1d
    case(name, lambda x, f=f, k=k, s=s, p=p: f(x, k, s, p), {"x": randn(2, 3, 19)},
         {"op": op + "pool1d", "kernel": k, "stride": s, "padding": p})

for name, (op, k, s, p) in {
    "maxpool2d_k2": ("max", (2, 2), (2, 2), (0, 0)),
    "maxpool2d_k3x2_s21_p11": ("max", (3, 2), (2, 1), (1, 1)),
    "avgpool2d_k3x2_s21_p11": ("avg", (3, 2), (2, 1), (1, 1)),
}.items():
    f = F.max_pool2d if op == "max" else F.avg_pool2d
    case(name, lambda x, f=f, k=k, s=s, p=p: f(x, k, s, p), {"x": randn(2, 2, 7, 6)},
         {"op": op + "pool2d", "kernel": k, "stride": s, "padding": p})

# 3. Global temporal pooling (Dieleman 2014): mean, max, L2 = sqrt(mean_t x^2), concatenated
case("global_temporal_pool",
     lambda x: torch.cat([x.mean(2), x.amax(2), x.pow(2).mean(2).sqrt()], dim=1),
     {"x": randn(3, 4, 13)}, {"op": "global_temporal_pool"})

# 4. Linear and matmul -----------------------------------------------------------------
case("linear", lambda x, weight, bias: F.linear(x, weight, bias),
     {"x": randn(5, 7), "weight": randn(3, 7) * 0.4, "bias": randn(3)}, {"op": "linear"})
case("matmul_tA_tB", lambda x, weight: x.t() @ weight.t(),
     {"x": randn(6, 4), "weight": randn(5, 6)}, {"op": "matmul", "transpose_a": 1, "transpose_b": 1})

# 5. Activations -----------------------------------------------------------------------
for name, fn in {
    "relu": F.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.1),
    "elu": lambda x: F.elu(x, 1.2),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": lambda x: F.softmax(x, dim=1),
    "log_softmax": lambda x: F.log_softmax(x, dim=1),
}.items():
    case(name, lambda x, fn=fn: fn(x), {"x": randn(4, 6, 3) * 2}, {"op": name})

# 6. Losses ----------------------------------------------------------------------------
targets = torch.tensor([0, 4, 2, 2, 1, 3], dtype=torch.int64)
class_weight = torch.tensor([0.5, 2.0, 1.0, 1.5, 0.25])
case("cross_entropy", lambda x: F.cross_entropy(x, targets), {"x": randn(6, 5) * 2},
     {"op": "cross_entropy", "label_smoothing": 0.0}, targets)
case("cross_entropy_weighted_smoothed",
     lambda x: F.cross_entropy(x, targets, weight=class_weight, label_smoothing=0.15),
     {"x": randn(6, 5) * 2}, {"op": "cross_entropy", "label_smoothing": 0.15, "class_weight": class_weight.numpy()}, targets)
case("mse", lambda x, weight: F.mse_loss(x, weight), {"x": randn(4, 3), "weight": randn(4, 3)}, {"op": "mse"})

# 7. Batch normalisation (running stats before are zeros/ones perturbed; after are stored)
for name, shape, training in [("batchnorm1d_ncl_train", (4, 3, 5), True), ("batchnorm1d_nc_train", (6, 3), True),
                              ("batchnorm2d_train", (3, 2, 4, 3), True), ("batchnorm1d_ncl_eval", (4, 3, 5), False)]:
    c = shape[1]
    rm0, rv0 = randn(c) * 0.1, torch.rand(c) + 0.5
    rm, rv = rm0.clone(), rv0.clone()
    case(name, lambda x, weight, bias, rm=rm, rv=rv, training=training:
         F.batch_norm(x, rm, rv, weight, bias, training=training, momentum=0.1, eps=1e-5),
         {"x": randn(*shape) * 2 + 1, "weight": randn(c), "bias": randn(c)},
         {"op": "batchnorm", "training": int(training), "momentum": 0.1, "eps": 1e-5,
          "running_mean_before": rm0.numpy(), "running_var_before": rv0.numpy(),
          "running_mean_after": rm.numpy(), "running_var_after": rv.numpy()})

# 8. Reductions -----------------------------------------------------------------------
case("var_axis1", lambda x: x.var(dim=1), {"x": randn(3, 5, 4)}, {"op": "var", "axis": 1})
case("max_axis2", lambda x: x.amax(dim=2), {"x": randn(3, 5, 4)}, {"op": "max", "axis": 2})

# 9. Convolutions melcnn computes with Winograd's F(m, r) (stride 1, dilation 1, >= 16
# channels; the last tile partial). Own seed, so the cases above keep their numbers.
torch.manual_seed(4321)
for name, (n, cin, l, cout, k, p) in {
    "conv1d_winograd_k4": (3, 24, 41, 20, 4, 0),
    "conv1d_winograd_k3_p1": (2, 16, 30, 32, 3, 1),
    "conv1d_winograd_k5_p2": (2, 17, 26, 16, 5, 2),
    "conv1d_winograd_k2": (5, 16, 12, 18, 2, 0),
}.items():
    inputs = {"x": randn(n, cin, l), "weight": randn(cout, cin, k) * 0.3, "bias": randn(cout)}
    case(name, lambda x, weight, bias, p=p: F.conv1d(x, weight, bias, padding=p),
         inputs, {"op": "conv1d", "stride": 1, "padding": p, "dilation": 1})

with h5py.File(OUT + ".tmp", "w") as f:
    f.attrs.create("torch_version", str(torch.__version__), dtype=h5py.string_dtype())
    for name, (entry, attrs, tg) in cases.items():
        g = f.create_group(name)
        for k, v in entry.items():
            g.create_dataset(k, data=v.numpy().astype(np.float32))
        if tg is not None:
            g.create_dataset("targets", data=tg.numpy().astype(np.int64))
        for k, v in attrs.items():
            g.attrs[k] = np.asarray(v, dtype=np.float32) if isinstance(v, (np.ndarray, float)) else np.asarray(v, dtype=np.int64) if not isinstance(v, str) else v
os.replace(OUT + ".tmp", OUT)
print(f"wrote {OUT}: {len(cases)} cases, {os.path.getsize(OUT)} bytes")
