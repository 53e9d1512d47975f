"""Generates the librosa 0.11 parity fixture of the CQT family (issue 4): Tests/Fixtures/cqt.h5.

usage: /work/pyenv/bin/python Tests/Fixtures/generate_cqt_fixtures.py   (librosa==0.11.0, h5py, numpy)

Three synthetic clips (22050 Hz, mono), each a group /<clip> holding:
  audio       int16; the signal is audio / 32768 as float32 (exactly what librosa and melcnn see)
  cqt         |librosa.cqt(y, sr=sr)|                       [frames x 84]  (defaults, tuning=0)
  chroma_cqt  librosa.feature.chroma_cqt(y=y, sr=sr)        [frames x 12]  (tuning estimated)
  tonnetz     librosa.feature.tonnetz(y=y, sr=sr)           [frames x 6]
  attribute tuning36 = librosa.estimate_tuning(y=y, sr=sr, bins_per_octave=36)
Clips: chord (3 s, a detuned E minor seventh chord with harmonics), chirp (3 s, an exponential
sweep 40 Hz -> 5 kHz over a quiet A3), song (4 s, bass, chords, melody, hi-hat and kick).

Extra configurations on the song, each a dataset /song/<name> with its parameters as attributes:
  cqt_early   tuning=None, hop 256, fmin C2, 72 bins, 24 per octave (early downsampling x4)
  cqt_hop300  hop 300 (only two 2:1 resamplings possible), scale=False, norm=inf, sparsity 0
  resample_half  librosa.resample(y, orig_sr=2, target_sr=1, res_type='soxr_hq', scale=True)
Short signals, group /short: y = float32(sin(0.3 k)) for n in 1, 7, 100, 513, 2047 samples,
  datasets cqt_<n> (defaults) and chroma_cqt_<n> (defaults, tuning estimated).
Matrices are stored in melcnn's orientation [frames x bins] (librosa's output transposed).
"""
import os

import h5py
import librosa
import numpy as np

SR = 22050
HERE = os.path.dirname(os.path.abspath(__file__))


def tone(f, n, harmonics=(1.0, 0.5, 0.25), phase=0.0):
    t = np.arange(n) / SR
    return sum(a * np.sin(2 * np.pi * f * (k + 1) * t + phase) for k, a in enumerate(harmonics))


def chord():
    n = 3 * SR
    a4 = 437.0                     # detuned: tuning estimation has something to find
    midi = [52, 55, 59, 62]        # E3 G3 B3 D4
    y = sum(tone(a4 * 2 ** ((m - 69) / 12), n) for m in midi)
    y *= np.minimum(1, np.arange(n) / (0.05 * SR)) * np.exp(-np.arange(n) / (2.5 * SR))
    return y


def chirp():
    n = 3 * SR
    t = np.arange(n) / SR
    f0, f1 = 40.0, 5000.0
    k = np.log(f1 / f0) / 3.0
    phase = 2 * np.pi * f0 * (np.exp(k * t) - 1) / k
    return 0.8 * np.sin(phase) + 0.1 * tone(220.0, n, (1.0,))


def song():
    rng = np.random.default_rng(4)
    n = 4 * SR
    y = np.zeros(n)
    beat = int(0.5 * SR)           # 120 BPM
    bass = [41, 41, 45, 43, 41, 48, 45, 43]
    chords = [[53, 57, 60], [50, 53, 57], [48, 52, 55], [55, 59, 62]]
    melody = [72, 74, 76, 79, 77, 76, 74, 72]
    env = lambda m, d: np.exp(-np.arange(m) / (d * SR))
    for b in range(8):
        s = b * beat
        m = min(beat, n - s)
        y[s:s + m] += 0.3 * tone(librosa.midi_to_hz(bass[b]), m, (1.0, 0.6, 0.3)) * env(m, 0.3)
        y[s:s + m] += 0.2 * tone(librosa.midi_to_hz(melody[b]), m, (1.0, 0.2)) * env(m, 0.2)
        if b % 2 == 0:
            c = chords[b // 2]
            mm = min(2 * beat, n - s)
            y[s:s + mm] += sum(0.1 * tone(librosa.midi_to_hz(p), mm) for p in c) * env(mm, 0.8)
        kk = min(int(0.15 * SR), n - s)
        tt = np.arange(kk) / SR
        y[s:s + kk] += 0.5 * np.sin(2 * np.pi * np.cumsum(50 + 80 * np.exp(-tt / 0.03)) / SR) * env(kk, 0.05)
        h = s + beat // 2
        hh = min(int(0.05 * SR), n - h)
        y[h:h + hh] += 0.1 * rng.standard_normal(hh) * env(hh, 0.01)
    return y


def to_int16(y):
    y = 0.9 * y / np.max(np.abs(y))
    return np.round(y * 32767).astype(np.int16)


def put(g, name, data, **attrs):
    d = g.create_dataset(name, data=data, compression="gzip", compression_opts=9, shuffle=True)
    for k, v in attrs.items():
        d.attrs[k] = v
    return d


def main():
    path = os.path.join(HERE, "cqt.h5")
    with h5py.File(path, "w") as f:
        f.attrs["generator"] = "Tests/Fixtures/generate_cqt_fixtures.py"
        f.attrs["librosa_version"] = librosa.__version__
        f.attrs["sample_rate"] = SR
        for name, make in [("chord", chord), ("chirp", chirp), ("song", song)]:
            audio = to_int16(make())
            y = audio.astype(np.float32) / 32768
            g = f.create_group(name)
            g.attrs["tuning36"] = librosa.estimate_tuning(y=y, sr=SR, bins_per_octave=36)
            put(g, "audio", audio)
            C = np.abs(librosa.cqt(y, sr=SR))
            put(g, "cqt", C.T.astype(np.float32), hop_length=512, fmin=librosa.note_to_hz("C1"),
                n_bins=84, bins_per_octave=12, tuning=0.0)
            put(g, "chroma_cqt", librosa.feature.chroma_cqt(y=y, sr=SR).T.astype(np.float32),
                hop_length=512, n_octaves=7, bins_per_octave=36, n_chroma=12)
            put(g, "tonnetz", librosa.feature.tonnetz(y=y, sr=SR).T.astype(np.float32))
            if name == "song":
                fmin = librosa.note_to_hz("C2")
                tuning = librosa.estimate_tuning(y=y, sr=SR, bins_per_octave=24)
                C = np.abs(librosa.cqt(y, sr=SR, hop_length=256, fmin=fmin, n_bins=72,
                                       bins_per_octave=24, tuning=None))
                put(g, "cqt_early", C.T.astype(np.float32), hop_length=256, fmin=fmin, n_bins=72,
                    bins_per_octave=24, estimated_tuning=tuning)
                C = np.abs(librosa.cqt(y, sr=SR, hop_length=300, scale=False, norm=np.inf, sparsity=0.0))
                put(g, "cqt_hop300", C.T.astype(np.float32), hop_length=300, scale=0, norm="inf",
                    sparsity=0.0)
                put(g, "resample_half", librosa.resample(y, orig_sr=2, target_sr=1, res_type="soxr_hq",
                                                         scale=True))
        g = f.create_group("short")
        for n in [1, 7, 100, 513, 2047]:
            y = np.sin(np.arange(n) * 0.3).astype(np.float32)
            put(g, f"cqt_{n}", np.abs(librosa.cqt(y, sr=SR)).T.astype(np.float32))
            put(g, f"chroma_cqt_{n}", librosa.feature.chroma_cqt(y=y, sr=SR).T.astype(np.float32))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
