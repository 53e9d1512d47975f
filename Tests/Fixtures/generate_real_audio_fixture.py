"""Writes the real-music decoding fixture: what soundfile decodes from every audio file of
Debian's game-music packages, for Tests/AudioTests/RealMusicFixtureTests.swift.

usage: /work/venv-audio/bin/python Tests/Fixtures/generate_real_audio_fixture.py [package ...]
(default packages: fb-music-high frozen-bubble-data; both must be installed, see
scripts/install-deps.sh). Writes Tests/Fixtures/real_music/fixture.json: per file the frame
count, sample rate, channels, sum of squares of all samples (float64) and three excerpts of
EXCERPT_FRAMES interleaved float32 frames (start, middle, end, base64 little-endian), or the
error when soundfile refuses the file. No audio is stored.
Pinned versions: Tests/Fixtures/requirements.txt (soundfile 0.14.0, numpy 2.4.6).
"""
import base64
import json
import os
import subprocess
import sys

import numpy as np
import soundfile as sf

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "real_music")
PACKAGES = ["fb-music-high", "frozen-bubble-data"]
# Every file of a package that is not documentation (fb-music-high holds one tracker module).
SKIP_PREFIXES = ("/usr/share/doc/", "/usr/share/man/", "/usr/share/lintian/")
AUDIO_EXTENSIONS = {".ogg", ".oga", ".opus", ".flac", ".wav", ".mp3", ".xm", ".mod", ".it", ".s3m"}
EXCERPT_FRAMES = 128


def package_files(package):
    """Regular files installed by `package` (dpkg -L), sorted."""
    listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True, check=True).stdout
    return sorted(p for p in listing.splitlines()
                  if os.path.isfile(p) and not p.startswith(SKIP_PREFIXES)
                  and os.path.splitext(p)[1].lower() in AUDIO_EXTENSIONS)


def excerpt(y, start):
    """EXCERPT_FRAMES interleaved float32 frames from `start`, base64 of the little-endian bytes."""
    block = np.ascontiguousarray(y[start:start + EXCERPT_FRAMES], dtype="<f4")
    return {"start": int(start), "frames": int(block.shape[0]), "f32le": base64.b64encode(block.tobytes()).decode()}


def describe(path):
    """soundfile's reading of `path` (what librosa.load gets before resampling)."""
    try:
        y, sr = sf.read(path, dtype="float32", always_2d=True)
    except Exception as error:  # soundfile refuses it: melcnn must refuse it too
        return {"decoded": False, "error": str(error).splitlines()[0]}
    n = y.shape[0]
    starts = sorted({0, max(0, n // 2 - EXCERPT_FRAMES // 2), max(0, n - EXCERPT_FRAMES)})
    return {"decoded": True, "frames": int(n), "sample_rate": int(sr), "channels": int(y.shape[1]),
            "sum_squares": float(np.sum(y.astype(np.float64) ** 2)),
            "excerpts": [excerpt(y, s) for s in starts]}


def main():
    packages = sys.argv[1:] or PACKAGES
    files = []
    for package in packages:
        for path in package_files(package):
            files.append({"package": package, "path": path, **describe(path)})
    os.makedirs(HERE, exist_ok=True)
    out = os.path.join(HERE, "fixture.json")
    with open(out, "w") as f:
        json.dump({"generator": "Tests/Fixtures/generate_real_audio_fixture.py", "soundfile": sf.__version__,
                   "libsndfile": sf.__libsndfile_version__, "excerpt_frames": EXCERPT_FRAMES,
                   "packages": packages, "files": files}, f, indent=1)
        f.write("\n")
    print(f"{out}: {len(files)} files, {sum(e['decoded'] for e in files)} decoded by soundfile")


if __name__ == "__main__":
    main()
