"""librosa side of the `audio` benchmark area: the same names as `melcnn-bench audio`.

usage: peer.py --dir bench-output/audio [--runs 7]
Reads the WAV files `melcnn-bench audio` wrote into --dir and prints one JSON line per benchmark:
median wall time (ms) and process CPU time (cpu_ms) of --runs calls of librosa.load after
one warm-up, one thread.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import librosa  # noqa: E402


def median_ms(fn, runs, clock=time.perf_counter):
    """Median of `runs` calls in ms after one warm-up; clock=time.process_time gives CPU time."""
    fn()  # warm-up (imports, caches)
    times = []
    for _ in range(runs):
        start = clock()
        fn()
        times.append((clock() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", default="bench-output/audio")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    mono = os.path.join(args.dir, "bench-audio-22050-mono-30s.wav")
    stereo = os.path.join(args.dir, "bench-audio-44100-stereo-30s.wav")
    cases = [
        ("load_22050_mono", lambda: librosa.load(mono, sr=22050)),
        ("load_44100_stereo_native", lambda: librosa.load(stereo, sr=None, mono=False)),
        ("load_44100_stereo_to_22050", lambda: librosa.load(stereo, sr=22050)),
    ]
    for name, fn in cases:
        frames = fn()[0].shape[-1]
        wall = median_ms(fn, args.runs)
        cpu = median_ms(fn, args.runs, clock=time.process_time)
        print(json.dumps({"name": name, "ms": round(wall, 4), "frames": frames, "cpu_ms": round(cpu, 4)}), flush=True)


if __name__ == "__main__":
    main()
