#!/usr/bin/env python3
"""Write a large synthetic dataset.h5 (format melcnn-dataset v1) for streaming measurements.

Cheap: no audio, no STFT, no per-row compression. A pool of 256 chunks of log-mel rows
(sines over time and frequency plus noise, in dB -80..0) is encoded once and its chunks are
written raw (H5Dwrite_chunk) over the whole of /mels, in the layout of docs/formats.md;
25 GB take about 2.5 minutes, bounded by the disk. Root attributes, the
/mels chunking and filters (shuffle, gzip, fletcher32) are copied from a small TEMPLATE
data set written by `melcnn prepare`, so the file reads exactly like a prepared one.

    melcnn synth tpl-audio --genres 4 --per-genre 3 --seconds 2
    melcnn prepare tpl-audio --out tpl.h5
    python3 scripts/synth-large-dataset.py tpl.h5 big.h5 --gb 25 --held-out 20 [--classes 10] [--seconds 30]

Needs numpy and h5py (any recent version). Not used by CI; see docs/large-collections.md
("Streaming at scale") for the measurement it serves. Delete the output afterwards.
"""
import argparse
import os
import sys
import time

import h5py
import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("template", help="a dataset.h5 written by melcnn prepare (attributes, chunking, filters)")
    p.add_argument("out", help="output dataset.h5 (written under OUT.tmp, renamed when complete)")
    p.add_argument("--gb", type=float, default=20.0, help="float32 size of /mels in GB (1e9 bytes)")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--seconds", type=float, default=30.0, help="length of each track")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--held-out", type=int, default=0,
                   help="validation and test tracks each (the last tracks; default: 10%% each)")
    a = p.parse_args()
    if a.gb <= 0 or a.classes < 1 or a.seconds <= 0:
        sys.exit("synth-large-dataset: --gb, --classes and --seconds must be positive")

    with h5py.File(a.template, "r") as t:
        if t.attrs.get("format") != "melcnn-dataset":
            sys.exit(f"synth-large-dataset: {a.template} is not a melcnn dataset.h5")
        attrs = dict(t.attrs)
        src = t["mels"]
        n_mels = src.shape[1]
        chunks, gzip, shuffle, fletcher = src.chunks, src.compression_opts, src.shuffle, src.fletcher32
    frames = int(round(a.seconds * attrs["sample_rate"] / attrs["hop_length"])) + 1
    tracks = max(a.classes, int(a.gb * 1e9 // (frames * n_mels * 4)))
    total = tracks * frames
    rng = np.random.default_rng(a.seed)
    labels = np.arange(tracks, dtype=np.int32) % a.classes
    split = np.zeros(tracks, np.uint8)          # 80 / 10 / 10 by position within each class
    k = np.arange(tracks) // a.classes
    split[k % 10 == 8] = 1
    split[k % 10 == 9] = 2
    if a.held_out > 0:   # a short validation pass: measurements of training steps
        if 2 * a.held_out >= tracks:
            sys.exit("synth-large-dataset: --held-out leaves no training tracks")
        split[:] = 0
        split[tracks - 2 * a.held_out:tracks - a.held_out] = 1
        split[tracks - a.held_out:] = 2
    tmp = a.out + ".tmp"
    started = time.time()
    with h5py.File(tmp, "w") as f:
        for name, value in attrs.items():
            f.attrs[name] = value
        f.attrs["split"] = "synthetic (scripts/synth-large-dataset.py)"
        f.create_dataset("classes", data=np.array([f"class{i:02d}" for i in range(a.classes)], dtype=h5py.string_dtype()))
        f.create_dataset("tracks/path", data=np.array([f"class{labels[i]:02d}/track{i:06d}.wav" for i in range(tracks)],
                                                      dtype=h5py.string_dtype()))
        f.create_dataset("tracks/label", data=labels)
        f.create_dataset("tracks/split", data=split)
        f.create_dataset("tracks/offset", data=np.arange(tracks, dtype=np.int64) * frames)
        f.create_dataset("tracks/frames", data=np.full(tracks, frames, np.int32))
        f.create_dataset("skipped/path", shape=(0,), dtype=h5py.string_dtype())
        f.create_dataset("skipped/reason", shape=(0,), dtype=h5py.string_dtype())
        mels = f.create_dataset("mels", shape=(total, n_mels), dtype=np.float32, chunks=chunks,
                                compression="gzip" if gzip is not None else None, compression_opts=gzip,
                                shuffle=shuffle, fletcher32=fletcher)
        # A pool of distinct chunks (a class-dependent pattern, a phase, noise) is encoded once
        # through the file's own filters, then written to every chunk position raw
        # (write_direct_chunk): the cost is disk bandwidth, not numpy or zlib.
        rows_per_chunk = chunks[0]
        pool_rows = 256 * rows_per_chunk
        t_axis = np.arange(pool_rows, dtype=np.float32)[:, None]
        m_axis = np.arange(n_mels, dtype=np.float32)[None, :]
        pool = np.empty((pool_rows, n_mels), np.float32)
        for c in range(0, pool_rows, 1024):
            cls = (c // 1024) % a.classes
            x = (-40 + 15 * np.sin(0.05 * (cls + 1) * t_axis[c:c + 1024] + rng.uniform(0, 6.28))
                 * np.cos(0.1 * (cls + 1) * m_axis) - 0.2 * m_axis
                 + rng.normal(0, 4, (min(1024, pool_rows - c), n_mels)))
            pool[c:c + 1024] = np.clip(x, -80, 0)
        encoded = f.create_dataset("pool", data=pool, chunks=chunks, compression=mels.compression,
                                   compression_opts=gzip, shuffle=shuffle, fletcher32=fletcher)
        raw = [encoded.id.read_direct_chunk((i * rows_per_chunk, 0))[1] for i in range(pool_rows // rows_per_chunk)]
        del f["pool"]
        n_chunks = (total + rows_per_chunk - 1) // rows_per_chunk
        for i in range(n_chunks):
            mels.id.write_direct_chunk((i * rows_per_chunk, 0), raw[i % len(raw)])
            if i % 20000 == 0 or i == n_chunks - 1:
                print(f"\r{(i + 1) * rows_per_chunk * n_mels * 4 / 1e9:.1f} GB, {time.time() - started:.0f} s",
                      end="", file=sys.stderr, flush=True)
        # The training rows are the pool repeated: its statistics are theirs (to rounding).
        mean = pool.mean(0, dtype=np.float64)
        std = pool.std(0, dtype=np.float64)
        f.create_dataset("stats/mean", data=mean.astype(np.float32))
        f.create_dataset("stats/std", data=np.maximum(std, 1e-5).astype(np.float32))
    os.replace(tmp, a.out)
    print(f"\nwrote {a.out}: {tracks} tracks x {frames} frames x {n_mels} mels, "
          f"{total * n_mels * 4 / 1e9:.1f} GB float32, {os.path.getsize(a.out) / 1e9:.1f} GB on disk, "
          f"in {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
