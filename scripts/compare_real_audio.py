"""Compares melcnn's and soundfile's decoding of every .ogg/.oga/.opus/.flac/.mp3 file of the
given Debian packages (a wider check than the CI fixture; not run by `make test`).

usage: /work/venv-audio/bin/python scripts/compare_real_audio.py MELCNN PACKAGE...
MELCNN is the built binary (.build/release/melcnn). For each file: the frames soundfile
decodes (`sf.read`) and the frames `melcnn info` prints (it decodes to count), and the RMS of
all samples (melcnn prints 6 decimals: equal within 2e-6 means the samples agree to float
rounding). Prints one line per package: files, decoded / refused by each, same frames, same
RMS, warnings; then each mismatch.
Needs soundfile (Tests/Fixtures/requirements.txt) in a virtualenv outside the repository.
"""
import os
import subprocess
import sys

import numpy as np
import soundfile as sf

EXTENSIONS = {".ogg", ".oga", ".opus", ".flac", ".mp3"}


def soundfile_frames(path):
    """(frames, RMS over all samples) as soundfile decodes them, or (None, None)."""
    try:
        y = sf.read(path, dtype="float32", always_2d=True)[0]
    except Exception:
        return None, None
    return y.shape[0], float(np.sqrt(np.mean(y.astype(np.float64) ** 2))) if y.size else 0.0


def melcnn_frames(melcnn, path):
    """(frames, RMS, stderr) as `melcnn info` prints them."""
    run = subprocess.run([melcnn, "info", path], capture_output=True, text=True)
    if run.returncode != 0:
        return None, None, run.stderr.strip()
    fields = dict(line.strip().split(":", 1) for line in run.stdout.splitlines()[1:] if ":" in line)
    try:
        return int(fields["frames"]), float(fields["RMS"].split()[0]), run.stderr.strip()
    except (KeyError, ValueError):
        return None, None, "no frames or RMS line"


def main():
    melcnn, packages = sys.argv[1], sys.argv[2:]
    problems = []
    for package in packages:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.splitlines()
        files = sorted(p for p in listing if os.path.isfile(p) and os.path.splitext(p)[1].lower() in EXTENSIONS)
        counts = {"sf_ok": 0, "sf_refused": 0, "melcnn_ok": 0, "melcnn_refused": 0, "same_frames": 0,
                  "same_rms": 0, "warnings": 0}
        for path in files:
            expected, expected_rms = soundfile_frames(path)
            got, rms, stderr = melcnn_frames(melcnn, path)
            if expected is not None and rms is not None and abs(rms - expected_rms) <= 2e-6:
                counts["same_rms"] += 1
            elif expected is not None and got is not None:
                problems.append(f"{path}: RMS soundfile {expected_rms:.7f}, melcnn {rms}")
            counts["sf_ok" if expected is not None else "sf_refused"] += 1
            counts["melcnn_ok" if got is not None else "melcnn_refused"] += 1
            counts["warnings"] += "warning:" in stderr
            if expected is not None and got == expected:
                counts["same_frames"] += 1
            elif expected is not None or got is not None:
                problems.append(f"{path}: soundfile {expected}, melcnn {got} {stderr}")
        print(f"{package}: {len(files)} files; soundfile decoded {counts['sf_ok']} refused {counts['sf_refused']}; "
              f"melcnn decoded {counts['melcnn_ok']} refused {counts['melcnn_refused']}; "
              f"same frame count {counts['same_frames']}; same RMS {counts['same_rms']}; melcnn warnings {counts['warnings']}")
    for line in problems:
        print("  mismatch:", line)


if __name__ == "__main__":
    main()
