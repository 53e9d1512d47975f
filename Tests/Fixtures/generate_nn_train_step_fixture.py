"""Writes Tests/Fixtures/nn_train_step.h5: PyTorch reference numbers for the NN module.

Run with the pinned venv (Tests/Fixtures/requirements.txt: torch, h5py, numpy):
    /work/pyenv/bin/python Tests/Fixtures/generate_nn_train_step_fixture.py

Contents (all float32 unless noted; names are PyTorch state_dict names):
  /net/...        one full training step of the Spotify-style network at reduced width:
                  input [4, 16, 64], target (int32 [4]), init/<name>, logits, loss [1],
                  grad/<name>, and <opt>/step1/<name> for opt in sgd_nesterov, adam, adamw
                  (one optimiser step from the same initial weights and gradients).
  /optim/<case>/  optimiser update rules in isolation: p0 [7, 5], grad1..grad3 fixed gradients,
                  p1..p3 after each step, plus the final state (momentum_buffer / exp_avg /
                  exp_avg_sq / step) for SGD and Adam variants; hyper-parameters as attributes.
  /sched/<case>   learning rates returned by torch.optim.lr_scheduler over 25 steps.
  /clip/          clip_grad_norm_: in0..in2, out0..out2, total_norm [1], attribute max_norm.
  /bn/            state_dict names (newline-joined UTF-8 bytes, uint8) and shapes of
                  conv1 -> bn1 -> fc1, and running_mean / running_var after one training
                  forward of input [5, 3, 9].
"""
import os

import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_train_step.h5")


def f32(t):
    return np.ascontiguousarray(t.detach().cpu().numpy().astype(np.float32))


class SmallSpotifyNet(nn.Module):
    """Dieleman's Spotify network at reduced width (16 mels in, 10 classes out)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(16, 8, 4)
        self.conv2 = nn.Conv1d(8, 8, 4)
        self.conv3 = nn.Conv1d(8, 16, 4)
        self.fc1 = nn.Linear(48, 32)
        self.fc2 = nn.Linear(32, 32)
        self.fc3 = nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.conv1(x)), 4)
        x = F.max_pool1d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.conv3(x))
        # Global temporal pooling: mean, max and L2 = sqrt(mean over time of x^2).
        pooled = torch.cat([x.mean(dim=2), x.amax(dim=2), x.pow(2).mean(dim=2).sqrt()], dim=1)
        x = F.relu(self.fc1(pooled))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def write_net(h5):
    torch.manual_seed(1234)
    model = SmallSpotifyNet().double()
    x = torch.randn(4, 16, 64, dtype=torch.float64)
    target = torch.tensor([3, 0, 9, 5])
    g = h5.create_group("net")
    g["input"] = f32(x)
    g["target"] = target.numpy().astype(np.int32)
    # Reference in float64 from float32-rounded inputs and weights, so that the
    # Swift float32 run starts from exactly the stored numbers.
    x = torch.from_numpy(f32(x)).double()
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(f32(p)).double())
    init = {k: v.clone() for k, v in model.state_dict().items()}
    for k, v in init.items():
        g[f"init/{k}"] = f32(v)
    logits = model(x)
    loss = F.cross_entropy(logits, target)
    loss.backward()
    g["logits"] = f32(logits)
    g["loss"] = np.array([loss.item()], dtype=np.float32)
    grads = {k: p.grad.clone() for k, p in model.named_parameters()}
    for k, v in grads.items():
        g[f"grad/{k}"] = f32(v)
    optimisers = {
        "sgd_nesterov": lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, nesterov=True, weight_decay=5e-4),
        "adam": lambda ps: torch.optim.Adam(ps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-4),
        "adamw": lambda ps: torch.optim.AdamW(ps, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2),
    }
    for name, make in optimisers.items():
        with torch.no_grad():
            model.load_state_dict(init)
        for k, p in model.named_parameters():
            p.grad = grads[k].clone()
        make(model.parameters()).step()
        for k, v in model.state_dict().items():
            g[f"{name}/step1/{k}"] = f32(v)


def write_optim(h5):
    """Update rules in isolation, float32 like a real training run."""
    cases = {
        "sgd": dict(kind="sgd", lr=0.1, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0),
        "sgd_momentum": dict(kind="sgd", lr=0.1, momentum=0.9, dampening=0.1, nesterov=False, weight_decay=0.0),
        "sgd_nesterov_wd": dict(kind="sgd", lr=0.1, momentum=0.9, dampening=0.0, nesterov=True, weight_decay=0.01),
        "adam": dict(kind="adam", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
        "adam_wd": dict(kind="adam", lr=0.01, beta1=0.8, beta2=0.99, eps=1e-6, weight_decay=0.1),
        "adamw": dict(kind="adamw", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.05),
        # Gradients near eps: the update depends on where eps is added.
        "adam_tiny_grad": dict(kind="adam", lr=0.01, beta1=0.9, beta2=0.999, eps=1e-6, weight_decay=0.0,
                               grad_scale=1e-5),
    }
    gen = torch.Generator().manual_seed(99)
    p0 = torch.randn(7, 5, generator=gen)
    grads = [torch.randn(7, 5, generator=gen) * s for s in (1.0, 0.3, 2.0)]
    for name, hp in cases.items():
        g = h5.create_group(f"optim/{name}")
        for key, value in hp.items():
            g.attrs[key] = value if isinstance(value, str) else float(value)
        g.attrs["decoupled"] = float(hp["kind"] == "adamw")
        p = torch.nn.Parameter(p0.clone())
        if hp["kind"] == "sgd":
            opt = torch.optim.SGD([p], lr=hp["lr"], momentum=hp["momentum"], dampening=hp["dampening"],
                                  nesterov=hp["nesterov"], weight_decay=hp["weight_decay"])
        else:
            cls = torch.optim.Adam if hp["kind"] == "adam" else torch.optim.AdamW
            opt = cls([p], lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]), eps=hp["eps"],
                      weight_decay=hp["weight_decay"])
        g["p0"] = f32(p0)
        for i, grad in enumerate(grads, start=1):
            grad = grad * hp.get("grad_scale", 1.0)
            g[f"grad{i}"] = f32(grad)
            p.grad = grad.clone()
            opt.step()
            g[f"p{i}"] = f32(p)
        for key, value in opt.state[p].items():
            if value is None:
                continue
            g[f"state/{key}"] = f32(value) if value.dim() > 0 else np.array([value.item()], dtype=np.float32)


def write_schedules(h5):
    steps = 25

    def run(make):
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)
        sched = make(opt)
        lrs = []
        for _ in range(steps):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return np.array(lrs, dtype=np.float64)

    S = torch.optim.lr_scheduler
    cases = {
        "step": (lambda o: S.StepLR(o, step_size=4, gamma=0.5), dict(step_size=4, gamma=0.5)),
        "cosine": (lambda o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001), dict(t_max=10, eta_min=0.001)),
        "linear_warmup": (lambda o: S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=5),
                          dict(start_factor=0.1, end_factor=1.0, total_iters=5)),
        "warmup_cosine": (lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5),
                                                       S.CosineAnnealingLR(o, T_max=15, eta_min=0.0)],
                                                   milestones=[5]),
                          dict(start_factor=0.1, total_iters=5, t_max=15, eta_min=0.0, milestone=5)),
        "warmup_step": (lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.25, total_iters=3),
                                                     S.StepLR(o, step_size=5, gamma=0.1)],
                                                 milestones=[3]),
                        dict(start_factor=0.25, total_iters=3, step_size=5, gamma=0.1, milestone=3)),
    }
    for name, (make, hp) in cases.items():
        h5[f"sched/{name}"] = run(make)
        for key, value in hp.items():
            h5[f"sched/{name}"].attrs[key] = value
        h5[f"sched/{name}"].attrs["base_lr"] = 0.1


def write_clip(h5):
    gen = torch.Generator().manual_seed(7)
    ps = [torch.nn.Parameter(torch.zeros(s)) for s in ((3, 4), (5,), (2, 2, 3))]
    g = h5.create_group("clip")
    for i, p in enumerate(ps):
        p.grad = torch.randn(p.shape, generator=gen) * (i + 1)
        g[f"in{i}"] = f32(p.grad)
    max_norm = 2.5
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm)
    g.attrs["max_norm"] = max_norm
    g["total_norm"] = np.array([total.item()], dtype=np.float32)
    for i, p in enumerate(ps):
        g[f"out{i}"] = f32(p.grad)


def write_batchnorm(h5):
    torch.manual_seed(5)
    model = nn.Module()
    model.conv1 = nn.Conv1d(3, 4, 3)
    model.bn1 = nn.BatchNorm1d(4)
    model.fc1 = nn.Linear(4, 2)
    g = h5.create_group("bn")
    sd = model.state_dict()
    g["names"] = np.frombuffer("\n".join(sd.keys()).encode(), dtype=np.uint8)
    for k, v in sd.items():
        g[f"shape/{k}"] = np.array(list(v.shape), dtype=np.int32)
    x = torch.randn(5, 3, 9)
    g["input"] = f32(x)
    for k, v in sd.items():
        if v.dtype == torch.float32:
            g[f"init/{k}"] = f32(v)
    model.train()
    y = model.bn1(model.conv1(x))
    g["output_train"] = f32(y)
    g["running_mean"] = f32(model.bn1.running_mean)
    g["running_var"] = f32(model.bn1.running_var)
    g["num_batches_tracked"] = np.array([model.bn1.num_batches_tracked.item()], dtype=np.float32)
    model.eval()
    g["output_eval"] = f32(model.bn1(model.conv1(x)))


def main():
    tmp = OUT + ".partial"
    with h5py.File(tmp, "w") as h5:
        h5.attrs["torch_version"] = str(torch.__version__)
        write_net(h5)
        write_optim(h5)
        write_schedules(h5)
        write_clip(h5)
        write_batchnorm(h5)
    os.replace(tmp, OUT)
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
