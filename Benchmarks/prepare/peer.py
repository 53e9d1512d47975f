"""librosa side of the `prepare` benchmark: load + melspectrogram + power_to_db per file
(librosa defaults: 22050 Hz, n_fft 2048, hop 512, 128 mels, top_db 80) in N processes.
Only the frame counts go back to the parent; nothing is written. After a warm-up (imports,
numba compilation) the folder is processed `--repeat` times in the same pool and the fastest
wall time is reported, as `melcnn-bench prepare --repeat` does.
Prints one JSON line per name (the same names as melcnn's lines)."""
import argparse
import glob
import json
import os
import resource
import time
from multiprocessing import Pool


def work(path):
    import librosa
    y, sr = librosa.load(path, sr=22050)
    m = librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr), top_db=80.0)
    return m.T.astype("float32").shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--names", default="prepare", help="comma-separated names given to the one measurement")
    ap.add_argument("--repeat", type=int, default=3, help="runs; the fastest is reported")
    args = ap.parse_args()
    files = sorted(glob.glob(os.path.join(args.dir, "*", "*.wav")))
    with Pool(args.jobs) as pool:
        pool.map(work, files[:args.jobs])  # warm-up: imports and numba compilation
        ms = float("inf")
        for _ in range(max(1, args.repeat)):
            start = time.perf_counter()
            frames = pool.map(work, files, chunksize=1)
            ms = min(ms, (time.perf_counter() - start) * 1000)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    for name in args.names.split(","):
        print(json.dumps({"name": name, "ms": round(ms, 3), "clips": len(frames),
                          "clips_per_s": len(frames) / (ms / 1000),
                          "peak_rss_mb_per_worker": round(children, 1)}))


if __name__ == "__main__":
    main()
