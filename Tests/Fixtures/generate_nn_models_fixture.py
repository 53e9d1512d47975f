"""Writes Tests/Fixtures/nn_models.h5: PyTorch reference numbers for the 2-D model kinds.

Run from the repository root with the pinned peers (Tests/Fixtures/requirements.txt):

    /work/pyenv/bin/python Tests/Fixtures/generate_nn_models_fixture.py

The networks are those of melcnn's `model.kind: cnn2d` and `resnet2d` (Won et al. 2020,
"Evaluation of CNN-based automatic music tagging models": the short-chunk CNN and its residual
version) at toy width, written with torch.nn under melcnn's state_dict names. Every case is
computed in float64 from float32-rounded inputs and weights (so the Swift float32 run starts from
exactly the stored numbers) in training mode (batch statistics), with dropout 0.

Layout (float32 unless noted):
  /<case>/input            [N, n_mels, T] (models) or [N, C, H, W] (blocks)
  /<case>/init/<name>      state_dict before the forward (running stats perturbed from 0/1)
  /<case>/out              logits [N, classes] (models) or block output
  /<case>/dout             upstream gradient: the loss is sum(out * dout)
  /<case>/grad_input, /<case>/grad/<name>   gradients of that loss
  /<case>/after/<name>     running_mean / running_var after the training forward
  /<case>/eval_out         output of a second forward in eval mode (running statistics)
  /<case>/step/...         (models only) one whole training step from init, as melcnn's Trainer
                           takes it: target (int32 [N]), loss = cross_entropy(out, target,
                           label_smoothing=0.1), total_norm of clip_grad_norm_(max_norm=0.5) (it
                           clips), then one AdamW(lr=0.01, weight_decay=0.01) step; after/<name>
                           = the whole state_dict after the step (weights and running statistics)
  attributes: kind, channels, global_pool (comma-joined), dense, classes
Cases: cnn2d (channels [4, 8], global pool mean,max,l2, dense [6]), resnet2d (channels [4, 6, 6],
global pool max, dense []), crnn (Choi et al. 2017: channels [4, 6], GRU of 5 units over the 5 time
steps left of 20 frames, features 6 channels x 4 mel bins, dense [6]), gru (nn.GRU(5, 4,
batch_first=True) on [3, 6, 5], out = every hidden state), block_down (residual block 3 -> 5 channels, stride 2), block_identity
(residual block 4 -> 4 channels, stride 1: identity shortcut).
"""
import os

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_models.h5")


def f32(t):
    return np.array(t.detach().cpu().numpy(), dtype=np.float32, order="C")  # keeps 0-d arrays 0-d


class ResidualBlock2d(nn.Module):
    """torchvision's BasicBlock: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), 1x1 projection."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(h + (x if self.downsample is None else self.downsample(x)))


class GRUOutputs(nn.GRU):
    """nn.GRU (one layer, batch_first) returning its output (every hidden state) only."""

    def forward(self, x):
        return super().forward(x)[0]


class Net2d(nn.Module):
    """melcnn's GenreCNN for kind cnn2d / resnet2d / crnn: 2-D trunk, global pooling over (mel, time)
    (crnn: a GRU over the remaining time steps, its last state), dense head."""

    def __init__(self, kind, channels, pools, dense, classes, n_mels=0, rnn_hidden=0):
        super().__init__()
        self.kind, self.pools, self.n_blocks = kind, pools, len(channels)
        cin = 1
        for i, c in enumerate(channels):
            if kind in ("cnn2d", "crnn"):
                setattr(self, f"conv{i + 1}", nn.Conv2d(cin, c, 3, padding=1, bias=False))
                setattr(self, f"bn{i + 1}", nn.BatchNorm2d(c))
            else:
                setattr(self, f"block{i + 1}", ResidualBlock2d(cin, c, 2))
            cin = c
        width = cin * len(pools)
        if kind == "crnn":  # Choi et al. 2017: features per time step = channels x remaining mel bins
            self.gru = nn.GRU(cin * (n_mels >> len(channels)), rnn_hidden, batch_first=True)
            width = rnn_hidden
        self.fcs = len(dense)
        for j, units in enumerate(dense):
            setattr(self, f"fc{j + 1}", nn.Linear(width, units))
            width = units
        self.out = nn.Linear(width, classes)

    def forward(self, x):
        h = x.unsqueeze(1)
        for i in range(self.n_blocks):
            if self.kind in ("cnn2d", "crnn"):
                h = F.max_pool2d(F.relu(getattr(self, f"bn{i + 1}")(getattr(self, f"conv{i + 1}")(h))), 2)
            else:
                h = getattr(self, f"block{i + 1}")(h)
        if self.kind == "crnn":
            n, c, hh, w = h.shape
            h = self.gru(h.permute(0, 3, 1, 2).reshape(n, w, c * hh))[1][0]
            return self.out_head(h)
        h = h.flatten(2)
        # melcnn's global pooling, kind-major: mean, max, L2 = sqrt(mean of x^2)
        parts = {"mean": lambda: h.mean(2), "max": lambda: h.amax(2), "l2": lambda: h.pow(2).mean(2).sqrt()}
        return self.out_head(torch.cat([parts[p]() for p in self.pools], dim=1))

    def out_head(self, h):
        for j in range(self.fcs):
            h = F.relu(getattr(self, f"fc{j + 1}")(h))
        return self.out(h)


def write_case(h5, name, module, x, attrs, target=None):
    module = module.double()
    x = torch.from_numpy(f32(x)).double().requires_grad_(True)
    with torch.no_grad():
        for k, v in module.state_dict().items():
            if k.endswith("running_mean"):
                v.copy_(torch.randn_like(v) * 0.1)
            elif k.endswith("running_var"):
                v.copy_(torch.rand_like(v) + 0.5)
            elif v.is_floating_point():
                v.copy_(torch.from_numpy(f32(v)).double())
    g = h5.create_group(name)
    for k, v in attrs.items():
        if isinstance(v, str):
            g.attrs.create(k, v, dtype=h5py.string_dtype())
        else:
            g.attrs[k] = v
    g["input"] = f32(x)
    for k, v in module.state_dict().items():
        g[f"init/{k}"] = f32(v.double())
    module.train()
    out = module(x)
    dout = torch.from_numpy(f32(torch.randn(out.shape, dtype=torch.float64))).double()
    (out * dout).sum().backward()
    g["out"], g["dout"], g["grad_input"] = f32(out), f32(dout), f32(x.grad)
    for k, p in module.named_parameters():
        g[f"grad/{k}"] = f32(p.grad)
    for k, v in module.state_dict().items():
        if "running" in k:
            g[f"after/{k}"] = f32(v)
    module.eval()
    with torch.no_grad():
        g["eval_out"] = f32(module(x))
    if target is not None:
        write_step(g, module, x.detach(), target)


def write_step(g, module, x, target):
    """One training step from the stored init: the loss, clipping and optimiser of a real run."""
    with torch.no_grad():
        module.load_state_dict({k: torch.from_numpy(np.asarray(g[f"init/{k}"])).double() for k in module.state_dict()})
    module.train()
    module.zero_grad()
    loss = F.cross_entropy(module(x), torch.tensor(target), label_smoothing=0.1)
    loss.backward()
    total = torch.nn.utils.clip_grad_norm_(module.parameters(), max_norm=0.5)
    torch.optim.AdamW(module.parameters(), lr=0.01, weight_decay=0.01).step()
    s = g.create_group("step")
    s["target"] = np.array(target, dtype=np.int32)
    s["loss"] = np.array([loss.item()], dtype=np.float32)
    s["total_norm"] = np.array([total.item()], dtype=np.float32)
    for k, v in module.state_dict().items():
        if v.is_floating_point():
            s[f"after/{k}"] = f32(v)


def main():
    torch.manual_seed(2020)
    with h5py.File(OUT + ".tmp", "w") as h5:
        h5.attrs.create("torch_version", str(torch.__version__), dtype=h5py.string_dtype())
        for name, kind, channels, pools, dense, shape in [
            ("cnn2d", "cnn2d", [4, 8], ["mean", "max", "l2"], [6], (3, 16, 20)),
            ("resnet2d", "resnet2d", [4, 6, 6], ["max"], [], (3, 12, 18)),
            ("crnn", "crnn", [4, 6], [], [6], (3, 16, 20)),
        ]:
            net = Net2d(kind, channels, pools, dense, 3, n_mels=shape[1], rnn_hidden=5)
            write_case(h5, name, net, torch.randn(*shape, dtype=torch.float64), {
                "kind": kind, "channels": np.array(channels, dtype=np.int64), "global_pool": ",".join(pools),
                "dense": np.array(dense, dtype=np.int64), "classes": 3}, target=[2, 0, 1])
        for name, cin, cout, stride, shape in [("block_down", 3, 5, 2, (2, 3, 7, 9)),
                                               ("block_identity", 4, 4, 1, (2, 4, 6, 5))]:
            write_case(h5, name, ResidualBlock2d(cin, cout, stride), torch.randn(*shape, dtype=torch.float64),
                       {"in_channels": cin, "out_channels": cout, "stride": stride})
        write_case(h5, "gru", GRUOutputs(5, 4, batch_first=True), torch.randn(3, 6, 5, dtype=torch.float64),
                   {"input_size": 5, "hidden_size": 4})
    os.replace(OUT + ".tmp", OUT)
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
