"""Generates the Audio parity fixtures: a short 44.1 kHz stereo WAV and librosa.load outputs.

usage: /work/pyenv/bin/python Tests/Fixtures/generate_audio_fixtures.py
Writes Tests/Fixtures/audio/{stereo44k.wav, *.f32, cases.json}. The .f32 files are raw
little-endian float32, planar (channel after channel) like librosa's (channels, n) arrays.
Pinned versions: Tests/Fixtures/requirements.txt (librosa 0.11.0, soundfile 0.14.0).
"""
import json
import os

import librosa
import numpy as np
import soundfile as sf

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "audio")


def main():
    os.makedirs(HERE, exist_ok=True)
    sr = 44100
    t = np.arange(int(0.5 * sr)) / sr
    rng = np.random.default_rng(7)
    # Left: two tones and a little noise; right: a chirp. Different so the downmix matters.
    left = 0.4 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 3100 * t) + 0.02 * rng.standard_normal(t.size)
    right = 0.5 * np.sin(2 * np.pi * (200 * t + 4000 * t ** 2))
    wav = os.path.join(HERE, "stereo44k.wav")
    sf.write(wav, np.stack([left, right], axis=1), sr, subtype="PCM_16")

    cases = [
        {"name": "default_22050_mono", "sr": 22050, "mono": True, "offset": 0.0, "duration": None},
        {"name": "window_16000_stereo", "sr": 16000, "mono": False, "offset": 0.1, "duration": 0.3},
        {"name": "native_mono", "sr": None, "mono": True, "offset": 0.0, "duration": None},
    ]
    for case in cases:
        y, out_sr = librosa.load(wav, sr=case["sr"], mono=case["mono"], offset=case["offset"], duration=case["duration"])
        y = np.atleast_2d(y).astype("<f4")
        y.tofile(os.path.join(HERE, case["name"] + ".f32"))
        case["out_sr"] = int(out_sr)
        case["channels"], case["frames"] = int(y.shape[0]), int(y.shape[1])
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump({"librosa": librosa.__version__, "soundfile": sf.__version__, "input": "stereo44k.wav", "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
