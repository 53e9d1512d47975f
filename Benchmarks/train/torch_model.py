"""melcnn's GenreCNN in PyTorch (every `model.kind`), with the same state_dict names, plus the
resolved-config reader.

A melcnn checkpoint's /model/<name> datasets load into GenreCNN(...).load_state_dict by name.
"""
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F


def _scalar(text):
    text = text.strip()
    if text in ("null", "~", ""):
        return None
    if text in ("true", "false"):
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text.strip('"')


def _flow(text):
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        return [_scalar(x) for x in inner.split(",")] if inner else []
    if text.startswith("{") and text.endswith("}"):
        out = {}
        for part in text[1:-1].split(","):
            k, v = part.split(":", 1)
            out[k.strip()] = _scalar(v)
        return out
    return _scalar(text)


def read_config(path):
    """Reads melcnn's resolved config (config.yaml of a run): two levels, flow lists/maps."""
    config, section, key = {}, None, None
    with open(path) as f:
        for raw in f:
            line = re.sub(r"\s+#.*$", "", raw.rstrip("\n"))
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indent = len(line) - len(line.lstrip())
            if indent == 0:
                section = line.rstrip(":").strip()
                config[section] = {}
            elif line.strip().startswith("- "):
                config[section][key].append(_flow(line.strip()[2:]))
            else:
                k, v = line.strip().split(":", 1)
                key = k.strip()
                config[section][key] = _flow(v) if v.strip() else []
    return config



def add_dense_head(net, width, model, n_classes):
    """melcnn's head on pooled features of `width`: fc1, fc2, ... (ReLU, dropout) then `out`."""
    net.dense = []
    for j, units in enumerate(model["dense"], start=1):
        fc = nn.Linear(width, units)
        setattr(net, f"fc{j}", fc)
        net.dense.append(fc)
        width = units
    net.out = nn.Linear(width, n_classes)
    net.dropout = model["dropout"]


def dense_head(net, x):
    for fc in net.dense:
        x = F.dropout(F.relu(fc(x)), net.dropout, net.training)
    return net.out(x)

class GenreCNN(nn.Module):
    """conv_i -> [bn_i] -> ReLU -> [pool_i] ...; mean/max/L2 over time; fc_j -> ReLU -> dropout; out."""

    def __init__(self, model, n_mels, n_classes):
        super().__init__()
        self.spec = model
        channels = n_mels
        self.blocks = []
        for i, block in enumerate(model["conv"], start=1):
            conv = nn.Conv1d(channels, block["channels"], block["kernel"], stride=block.get("stride", 1),
                             padding=block.get("padding", 0), bias=not model["batch_norm"])
            setattr(self, f"conv{i}", conv)
            bn = None
            if model["batch_norm"]:
                bn = nn.BatchNorm1d(block["channels"])
                setattr(self, f"bn{i}", bn)
            self.blocks.append((conv, bn, block.get("pool", 1), block.get("pool_kind", "max")))
            channels = block["channels"]
        width = channels * len(model["global_pool"])
        add_dense_head(self, width, model, n_classes)

    def forward(self, x):
        for conv, bn, pool, kind in self.blocks:
            x = conv(x)
            if bn is not None:
                x = bn(x)
            x = F.relu(x)
            if pool > 1:
                x = F.max_pool1d(x, pool) if kind == "max" else F.avg_pool1d(x, pool)
        feats = []
        for kind in self.spec["global_pool"]:
            if kind == "mean":
                feats.append(x.mean(dim=2))
            elif kind == "max":
                feats.append(x.amax(dim=2))
            else:  # l2: sqrt(mean over time of x^2), as melcnn's kernel
                feats.append(torch.sqrt(x.pow(2).mean(dim=2) + 1e-12))
        x = torch.cat(feats, dim=1)
        return dense_head(self, x)


class ResidualBlock2d(nn.Module):
    """torchvision's BasicBlock as melcnn's resnet2d block: 3x3 stride-2 conv, 3x3 conv, 1x1 stride-2
    projection shortcut (He et al. 2016)."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=2, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        h = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(h + self.downsample(x))


class GenreCNN2d(nn.Module):
    """melcnn's `model.kind: cnn2d` (conv 3x3 -> bn -> ReLU -> max-pool 2x2 per entry of `channels`)
    and `resnet2d` (one residual block per entry) over the patch as a [N, 1, n_mels, T] image
    (Won et al. 2020); global pooling over (mel, time); fc_j -> ReLU -> dropout; out."""

    def __init__(self, model, n_mels, n_classes):
        super().__init__()
        self.kind, self.pools, self.n_blocks = model["kind"], model["global_pool"], len(model["channels"])
        cin = 1
        for i, c in enumerate(model["channels"], start=1):
            if self.kind == "cnn2d":
                setattr(self, f"conv{i}", nn.Conv2d(cin, c, 3, padding=1, bias=False))
                setattr(self, f"bn{i}", nn.BatchNorm2d(c))
            else:
                setattr(self, f"block{i}", ResidualBlock2d(cin, c))
            cin = c
        width = cin * len(self.pools)
        add_dense_head(self, width, model, n_classes)

    def forward(self, x):
        h = x.unsqueeze(1)
        for i in range(1, self.n_blocks + 1):
            if self.kind == "cnn2d":
                h = F.max_pool2d(F.relu(getattr(self, f"bn{i}")(getattr(self, f"conv{i}")(h))), 2)
            else:
                h = getattr(self, f"block{i}")(h)
        h = h.flatten(2)
        parts = {"mean": lambda: h.mean(2), "max": lambda: h.amax(2),
                 "l2": lambda: torch.sqrt(h.pow(2).mean(2) + 1e-12)}
        x = torch.cat([parts[p]() for p in self.pools], dim=1)
        return dense_head(self, x)


def make_model(model, n_mels, n_classes):
    """The network of a resolved config's model section (kind cnn1d when absent)."""
    if model.get("kind", "cnn1d") in ("cnn2d", "resnet2d"):
        return GenreCNN2d(model, n_mels, n_classes)
    if model.get("kind", "cnn1d") != "cnn1d":
        raise SystemExit(f"model.kind {model['kind']} has no PyTorch peer here")
    return GenreCNN(model, n_mels, n_classes)


def learning_rate(train, epoch):
    """melcnn's TrainConfig.learningRate(epoch:) (warm-up, then constant/step/cosine/exponential)."""
    lr, warm = train["lr"], train["warmup_epochs"]
    if warm > 0 and epoch < warm:
        return lr * (0.1 + 0.9 * epoch / warm)
    e = epoch - warm
    kind = train["schedule"]
    if kind == "step":
        return lr * train["gamma"] ** (e // train["step_size"])
    if kind == "exponential":
        return lr * train["gamma"] ** e
    if kind == "cosine":
        span = max(1, train["epochs"] - warm)
        return train["min_lr"] + 0.5 * (lr - train["min_lr"]) * (1 + math.cos(math.pi * min(e, span) / span))
    return lr
