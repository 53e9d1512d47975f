"""PyTorch side of `melcnn-bench nn`: the full-size Spotify-style network (Dieleman 2014).

usage: peer.py --config {train,infer,conv,sgemm,conv2d,res2d,train_cnn2d,train_res2d} --threads N
Prints one JSON line per configuration with the same names as `melcnn-bench nn`.
Each configuration runs in its own process so that rss_mb is that configuration's peak.
Timing: median of 10 steps after 2 warm-up steps.
"""
import argparse
import json
import pathlib
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "train"))
from torch_model import ResidualBlock2d  # noqa: E402  (the res2d block, shared with the training peers)

MELS, FRAMES, CLASSES = 128, 599, 10
# FLOPs per sample (multiply-add = 2): conv layers forward, weight and input gradients
# (no input gradient for conv1), dense layers likewise.
CONV_FWD = 2 * (256 * 596 * 128 * 4 + 256 * 146 * 256 * 4 + 512 * 70 * 256 * 4)
CONV_BWD_INPUT = 2 * (256 * 146 * 256 * 4 + 512 * 70 * 256 * 4)
CONV_FWD_BWD = 2 * CONV_FWD + CONV_BWD_INPUT


class GlobalTemporalPool(nn.Module):
    def forward(self, x):
        return torch.cat([x.mean(dim=2), x.amax(dim=2), x.pow(2).mean(dim=2).sqrt()], dim=1)


def network():
    return nn.Sequential(
        nn.Conv1d(MELS, 256, 4), nn.ReLU(), nn.MaxPool1d(4),
        nn.Conv1d(256, 256, 4), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(256, 512, 4), nn.ReLU(),
        GlobalTemporalPool(),
        nn.Linear(1536, 2048), nn.ReLU(),
        nn.Linear(2048, 2048), nn.ReLU(),
        nn.Linear(2048, CLASSES),
    )


# The 2-D trunk of Configs/shortchunk.yaml / resnet.yaml (Won et al. 2020 at half width) on
# [32, 1, 128 mels, 160 frames]: conv2d = 3x3 conv (no bias) + BN + ReLU + 2x2 max-pool per width,
# res2d = a residual block (two 3x3 convs with BN, stride 2, 1x1 stride-2 projection) per width.
CHUNK_FRAMES, WIDTHS = 160, [64, 64, 128, 128, 128, 128, 256]


def trunk2d(residual):
    layers, cin = [], 1
    for c in WIDTHS:
        if residual:
            layers.append(ResidualBlock2d(cin, c))
        else:
            layers += [nn.Conv2d(cin, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2)]
        cin = c
    return nn.Sequential(*layers)


def trunk2d_flops(residual):
    """Conv FLOPs per sample, forward + weight and input gradients (none for the first conv); as melcnn-bench."""
    h, w, cin, total = MELS, CHUNK_FRAMES, 1, 0
    for c in WIDTHS:
        if residual:
            oh, ow = (h + 1) // 2, (w + 1) // 2
            conv1, conv2, proj = 2 * c * cin * 9 * oh * ow, 2 * c * c * 9 * oh * ow, 2 * c * cin * oh * ow
            total += (2 if cin == 1 else 3) * (conv1 + proj) + 3 * conv2
            h, w = oh, ow
        else:
            total += (2 if cin == 1 else 3) * 2 * c * cin * 9 * h * w
            h, w = h // 2, w // 2
        cin = c
    return total


class Net2d(nn.Module):
    """The whole Configs/shortchunk.yaml / resnet.yaml network: trunk, global max, dense 256, dropout, 10 outputs."""

    def __init__(self, residual):
        super().__init__()
        self.trunk = trunk2d(residual)
        self.fc1, self.drop, self.out = nn.Linear(WIDTHS[-1], 256), nn.Dropout(0.5), nn.Linear(256, CLASSES)

    def forward(self, x):
        h = self.trunk(x.unsqueeze(1)).flatten(2).amax(2)
        return self.out(self.drop(F.relu(self.fc1(h))))


def train_step_ms(model, x, y):
    """Median ms of SGD-Nesterov steps (lr 0.01, momentum 0.9) with cross-entropy on (x, y)."""
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return median_ms(step)


def median_ms(body, runs=10, warmup=2):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(name, ms, **extra):
    print(json.dumps({"name": name, "ms": round(ms, 4), **{k: round(v, 4) for k, v in extra.items()}}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", choices=["train", "infer", "conv", "sgemm", "conv2d", "res2d", "train_cnn2d",
                                             "train_res2d"], required=True)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    t = args.threads
    if args.config == "sgemm":
        a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
        ms = median_ms(lambda: torch.mm(a, b))
        emit(f"nn_sgemm_1024_t{t}", ms, gflops=2 * 1024**3 / ms / 1e6)
        return
    if args.config in ("train_cnn2d", "train_res2d"):
        model, batch = Net2d(args.config == "train_res2d"), 32
        ms = train_step_ms(model, torch.randn(batch, MELS, CHUNK_FRAMES), torch.randint(0, CLASSES, (batch,)))
        emit(f"nn_{args.config}_b32_t{t}", ms, samples_per_s=batch / ms * 1000, rss_mb=peak_rss_mb())
        return
    if args.config in ("conv2d", "res2d"):
        residual = args.config == "res2d"
        trunk, batch = trunk2d(residual), 32
        x = torch.randn(batch, 1, MELS, CHUNK_FRAMES)

        def trunk_step():
            trunk.zero_grad()
            trunk(x).sum().backward()
        ms = median_ms(trunk_step)
        emit(f"nn_{args.config}_fwd_bwd_b32_t{t}", ms, gflops=trunk2d_flops(residual) * batch / ms / 1e6,
             rss_mb=peak_rss_mb())
        return
    model = network()
    if args.config == "train":
        batch = 32
        ms = train_step_ms(model, torch.randn(batch, MELS, FRAMES), torch.randint(0, CLASSES, (batch,)))
        emit(f"nn_train_b32_t{t}", ms, samples_per_s=batch / ms * 1000, rss_mb=peak_rss_mb())
    elif args.config == "infer":
        batch = 64
        x = torch.randn(batch, MELS, FRAMES)
        model.eval()

        def infer():
            with torch.no_grad():
                model(x)
        ms = median_ms(infer)
        emit(f"nn_infer_b64_t{t}", ms, samples_per_s=batch / ms * 1000, rss_mb=peak_rss_mb())
    else:
        batch = 32
        x = torch.randn(batch, MELS, FRAMES)
        convs = model[:8]

        def conv_step():
            convs.zero_grad()
            convs(x).sum().backward()
        ms = median_ms(conv_step)
        emit(f"nn_conv_fwd_bwd_b32_t{t}", ms, gflops=CONV_FWD_BWD * batch / ms / 1e6)


if __name__ == "__main__":
    main()
