"""Compares melcnn's and soundfile's decoding of every .ogg/.oga/.opus/.flac/.mp3 file of the
given Debian packages (a wider check than the CI fixture; not run by `make test`).

usage: /work/venv-audio/bin/python scripts/compare_real_audio.py MELCNN PACKAGE...
MELCNN is the built binary (.build/release/melcnn). For each file: the frames soundfile
decodes (`sf.read`) and the frames `melcnn info` prints (it decodes to count). Prints one line
per package: files, decoded / refused by each, frame-count mismatches; then each mismatch.
Needs soundfile (Tests/Fixtures/requirements.txt) in a virtualenv outside the repository.
"""
import os
import subprocess
import sys

import soundfile as sf

EXTENSIONS = {".ogg", ".oga", ".opus", ".flac", ".mp3"}


def soundfile_frames(path):
    try:
        return sf.read(path, dtype="float32", always_2d=True)[0].shape[0]
    except Exception:
        return None


def melcnn_frames(melcnn, path):
    run = subprocess.run([melcnn, "info", path], capture_output=True, text=True)
    if run.returncode != 0:
        return None, run.stderr.strip()
    for line in run.stdout.splitlines():
        if line.strip().startswith("frames:"):
            return int(line.split(":", 1)[1]), run.stderr.strip()
    return None, "no frames line"


def main():
    melcnn, packages = sys.argv[1], sys.argv[2:]
    problems = []
    for package in packages:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.splitlines()
        files = sorted(p for p in listing if os.path.isfile(p) and os.path.splitext(p)[1].lower() in EXTENSIONS)
        counts = {"sf_ok": 0, "sf_refused": 0, "melcnn_ok": 0, "melcnn_refused": 0, "same_frames": 0, "warnings": 0}
        for path in files:
            expected = soundfile_frames(path)
            got, stderr = melcnn_frames(melcnn, path)
            counts["sf_ok" if expected is not None else "sf_refused"] += 1
            counts["melcnn_ok" if got is not None else "melcnn_refused"] += 1
            counts["warnings"] += "warning:" in stderr
            if expected is not None and got == expected:
                counts["same_frames"] += 1
            elif expected is not None or got is not None:
                problems.append(f"{path}: soundfile {expected}, melcnn {got} {stderr}")
        print(f"{package}: {len(files)} files; soundfile decoded {counts['sf_ok']} refused {counts['sf_refused']}; "
              f"melcnn decoded {counts['melcnn_ok']} refused {counts['melcnn_refused']}; "
              f"same frame count {counts['same_frames']}; melcnn warnings {counts['warnings']}")
    for line in problems:
        print("  mismatch:", line)


if __name__ == "__main__":
    main()
