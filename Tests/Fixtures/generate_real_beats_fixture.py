"""Generates the real-music beat-tracking fixture (issue 12, item 10).

usage: python Tests/Fixtures/generate_real_beats_fixture.py   (librosa==0.11.0, h5py, numpy; see requirements.txt)
       needs the Debian packages wesnoth-1.16-music and fb-music-high installed (the audio is read,
       never copied into the repository).

Writes Tests/Fixtures/real_beats.h5, one group per track:
  /<track>/onset_env   float32 [frames]  librosa.onset.onset_strength(y=y, sr=22050, aggregate=np.median)
                                         of y = librosa.load(path, sr=22050) (the whole track, hop 512)
  /<track>/onset_env_std float32        onset_env.std(ddof=1), numpy's float32 std (librosa's __normalize_onsets)
  /<track>/tempo       float64           librosa.beat.beat_track(onset_envelope=onset_env, sr=22050) tempo
  /<track>/beats       int64 [beats]     its beat frames (tightness 100, trim True)
  /centroid_near_silence/S         float32 [frames x 1025] a deterministic magnitude spectrogram whose
                                   frames are scaled from 1 down to float32 subnormals and 0 (fade-out to silence),
                                   and frames where librosa's float32 rounding of S / sum(S) shows
  /centroid_near_silence/centroid  float64 [frames]  librosa.feature.spectral_centroid(S=S.T, sr=22050)
attributes: package, path (the installed file), sha256 and size of that file, samples (len(y)).
The envelope lets a test run melcnn's beat tracker on librosa's own envelope without the audio;
when the package is installed and the file has the recorded size, a test also decodes it end to end
(sha256 is recorded to identify the package version exactly).
"""
import hashlib
import os

import h5py
import librosa
import numpy as np

SR = 22050
HERE = os.path.dirname(os.path.abspath(__file__))
TRACKS = [
    ("loyalists", "wesnoth-1.16-music", "/usr/share/games/wesnoth/1.16/data/core/music/loyalists.ogg"),
    ("elvish_theme", "wesnoth-1.16-music", "/usr/share/games/wesnoth/1.16/data/core/music/elvish-theme.ogg"),
    ("frozen_mainzik_1p", "fb-music-high", "/usr/share/games/frozen-bubble/snd/frozen-mainzik-1p.ogg"),
]


def main():
    path = os.path.join(HERE, "real_beats.h5")
    with h5py.File(path, "w") as f:
        f.attrs["generator"] = "Tests/Fixtures/generate_real_beats_fixture.py"
        f.attrs["librosa_version"] = librosa.__version__
        f.attrs["sample_rate"] = SR
        f.attrs["hop_length"] = 512
        for name, package, audio in TRACKS:
            raw = open(audio, "rb").read()
            y, _ = librosa.load(audio, sr=SR)
            env = librosa.onset.onset_strength(y=y, sr=SR, aggregate=np.median)
            tempo, beats = librosa.beat.beat_track(onset_envelope=env, sr=SR)
            g = f.create_group(name)
            g.attrs.update(dict(package=package, path=audio, sha256=hashlib.sha256(raw).hexdigest(),
                                size=len(raw), samples=len(y)))
            g.create_dataset("onset_env", data=env.astype(np.float32), compression="gzip",
                             compression_opts=9, shuffle=True)
            g.create_dataset("onset_env_std", data=env.std(ddof=1))   # float32, as __normalize_onsets divides
            g.create_dataset("tempo", data=np.float64(np.atleast_1d(tempo)[0]))
            g.create_dataset("beats", data=np.asarray(beats, dtype=np.int64), compression="gzip",
                             compression_opts=9, shuffle=True)
            print(f"{name}: {len(env)} frames, tempo {float(np.atleast_1d(tempo)[0]):.2f}, {len(beats)} beats")
        # Near-silent frames: integer patterns times a scale, exactly representable on both sides.
        # Patterns 4, 21, 253, 284 and 311 are ones where rounding each S / sum(S) to float32 (as
        # util.normalize does) changes the float32 centroid; the scales run down to subnormals and 0.
        k = np.arange(1025)[None, :]
        t = np.array(list(range(12)) + [4, 21, 253, 284, 311] * 2)[:, None]
        pattern = ((k * 7919 + t * 104729) % 997 + 1).astype(np.float32) * ((k % 13) == (t % 13))
        pattern += ((k * 31 + t * 17) % 101).astype(np.float32)
        scales = np.array([1, 1e-3, 1e-8, 1e-12, 1e-20, 1e-30, 1e-36, 1e-40, 1e-43, 1e-44, 1e-45, 0]
                          + [1] * 5 + [1e-30] * 5, np.float32)
        S = (pattern * scales[:, None]).astype(np.float32)
        g = f.create_group("centroid_near_silence")
        g.create_dataset("S", data=S, compression="gzip", compression_opts=9, shuffle=True)
        g.create_dataset("centroid", data=librosa.feature.spectral_centroid(S=S.T, sr=SR)[0])
    print(f"{path}: {os.path.getsize(path) / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
