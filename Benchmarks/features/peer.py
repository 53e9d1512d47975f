"""librosa side of the `features` benchmark area: the same names as `melcnn-bench features`.

usage: peer.py --clip bench-output/features/clip30.wav [--runs 5]
Median wall time of --runs calls after one warm-up, one thread, each from the waveform.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import librosa  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures"))
from generate_feature_fixtures import gtzan_row  # noqa: E402  (the row exactly as the parity fixture)


def median_ms(fn, runs):
    """Median wall ms and median CPU ms of this thread (time.thread_time) over `runs` calls."""
    fn()  # warm-up (numba compilation, caches)
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.thread_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clip", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    y, sr = librosa.load(args.clip, sr=22050)
    cases = [
        ("chroma_stft", lambda: librosa.feature.chroma_stft(y=y, sr=sr)),
        ("spectral_contrast", lambda: librosa.feature.spectral_contrast(y=y, sr=sr)),
        ("onset_strength", lambda: librosa.onset.onset_strength(y=y, sr=sr)),
        ("beat_track", lambda: librosa.beat.beat_track(y=y, sr=sr)),
        ("cqt", lambda: abs(librosa.cqt(y, sr=sr))),
        ("chroma_cqt", lambda: librosa.feature.chroma_cqt(y=y, sr=sr)),
        ("tonnetz", lambda: librosa.feature.tonnetz(y=y, sr=sr)),
        ("hpss", lambda: librosa.effects.hpss(y)),
        ("gtzan_row_30s", lambda: gtzan_row(y, sr)),
    ]
    for name, fn in cases:
        ms, cpu_ms = median_ms(fn, args.runs)
        print(json.dumps({"name": name, "ms": round(ms, 4), "seconds": len(y) / sr, "cpu_ms": round(cpu_ms, 4)}), flush=True)


if __name__ == "__main__":
    main()
