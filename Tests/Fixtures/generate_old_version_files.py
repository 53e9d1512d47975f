"""Writes old_versions/dataset_v1.h5 and old_versions/checkpoint_v1.h5: files laid out as
melcnn wrote them before `LogMelParameters` (read by Tests/MelCNNTests/Dataset/OldVersionFileTests.swift).

- dataset_v1.h5: version 1, the eight log-mel attributes of that time (sizes int64, the rest
  float64) with `top_db = 0.0` meaning "no top_db", no win_length/window/center/pad_mode/htk/norm.
- checkpoint_v1.h5: version 1 (int32), every log-mel attribute float64 (`n_fft = 512.0`, as the
  first checkpoints stored them), `top_db = 0.0`, two weights and an optimiser slot.

Values are formulas of the index so the Swift test can recompute them.
Run from the repository root with the pinned venv (see requirements.txt):
    /work/venv/bin/python Tests/Fixtures/generate_old_version_files.py
"""
import os

import h5py
import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "old_versions")
os.makedirs(HERE, exist_ok=True)
STR = h5py.string_dtype()
N_MELS, FRAMES = 4, [5, 3, 6]


def mels():
    total = sum(FRAMES)
    f = np.arange(total, dtype=np.float64)[:, None]
    b = np.arange(N_MELS, dtype=np.float64)[None, :]
    return (np.sin(0.7 * f + b) * 10 - 40).astype(np.float32)


with h5py.File(os.path.join(HERE, "dataset_v1.h5"), "w", libver=("v108", "v110")) as f:
    a = f.attrs
    a["format"] = "melcnn-dataset"
    a["version"] = np.int64(1)
    a["creator"] = "melcnn 0.1.0"
    for name, value in [("sample_rate", 22050), ("n_fft", 512), ("hop_length", 256), ("n_mels", N_MELS)]:
        a[name] = np.int64(value)
    for name, value in [("fmin", 0.0), ("fmax", 11025.0), ("power", 2.0), ("top_db", 0.0)]:
        a[name] = np.float64(value)
    a["seed"] = np.int64(0)
    a["split"] = "stratified 0.34,0.33,0.33 seed 0"
    f.create_dataset("classes", data=["blues", "jazz"], dtype=STR)
    f.create_dataset("tracks/path", data=["blues/a.wav", "jazz/b.wav", "blues/c.wav"], dtype=STR)
    f.create_dataset("tracks/label", data=np.array([0, 1, 0], dtype=np.int32))
    f.create_dataset("tracks/split", data=np.array([0, 1, 2], dtype=np.uint8))
    f.create_dataset("tracks/offset", data=np.cumsum([0] + FRAMES[:-1]).astype(np.int64))
    f.create_dataset("tracks/frames", data=np.array(FRAMES, dtype=np.int32))
    f.create_dataset("mels", data=mels(), chunks=(4, N_MELS), maxshape=(None, N_MELS), compression="gzip",
                     shuffle=True, fletcher32=True)
    train = mels()[: FRAMES[0]].astype(np.float64)
    f.create_dataset("stats/mean", data=train.mean(axis=0).astype(np.float32))
    f.create_dataset("stats/std", data=np.maximum(1e-5, train.std(axis=0)).astype(np.float32))
    f.create_dataset("skipped/path", data=["blues/broken.wav"], dtype=STR)
    f.create_dataset("skipped/reason", data=["not audio"], dtype=STR)

CONFIG = """data:
  sample_rate: 22050
  n_fft: 512
  hop_length: 256
  n_mels: 4
  fmin: 0.0
  fmax: null
  power: 2.0
  top_db: null
"""

with h5py.File(os.path.join(HERE, "checkpoint_v1.h5"), "w", libver=("v108", "v110")) as f:
    a = f.attrs
    a["format"] = "melcnn-checkpoint"
    a["version"] = np.int32(1)
    for name, value in [("epoch", 3), ("step", 12), ("step_in_epoch", 0), ("seed", 7)]:
        a[name] = np.int64(value)
    a["config"] = CONFIG
    a["dataset"] = "dataset_v1.h5"
    a["creator"] = "melcnn"
    for name, value in [("sample_rate", 22050.0), ("n_fft", 512.0), ("hop_length", 256.0), ("n_mels", 4.0),
                        ("fmin", 0.0), ("fmax", 11025.0), ("power", 2.0), ("top_db", 0.0),
                        ("val_track_acc", 0.75), ("best_epoch", 2.0)]:
        a[name] = np.float64(value)
    weight = (np.arange(24, dtype=np.float32) / 8 - 1).reshape(2, 4, 3)
    f.create_dataset("model/conv1.weight", data=weight, fletcher32=True, chunks=weight.shape)
    f.create_dataset("model/conv1.bias", data=np.array([0.5, -0.25], dtype=np.float32))
    f.create_dataset("optimizer/momentum_buffer.conv1.weight", data=weight * 2, fletcher32=True, chunks=weight.shape)
    f.create_dataset("classes", data=["blues", "jazz"], dtype=STR)
    f.create_dataset("normalizer/mean", data=np.array([-40, -39, -38, -37], dtype=np.float32))
    f.create_dataset("normalizer/std", data=np.array([1, 2, 3, 4], dtype=np.float32))
    f.create_group("partial")
