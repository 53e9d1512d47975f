"""Generates the librosa 0.11 parity fixtures of the feature catalogue (issue 4).

usage: python Tests/Fixtures/generate_feature_fixtures.py   (librosa==0.11.0, h5py, numpy; see requirements.txt)

Writes Tests/Fixtures/features_<clip>.h5 for five synthetic clips (22050 Hz, mono):
  click        7 s   a 1 kHz click every 0.5 s (120 BPM)
  song         8 s   a synthetic song at 110 BPM: kick, snare, hi-hat, bass and detuned chords
  tempochange 12 s   a drum pattern at 90 BPM for 6 s, then 132 BPM
  chirp        5 s   an exponential chirp 100 Hz -> 4 kHz over a sustained chord tuned to A4 = 435 Hz
  gtzan30     30 s   a longer synthetic song (128 BPM) for the GTZAN 30-second row

Every file holds the clip as int16 `/audio` (the signal is audio / 32768 as float32, which
is exactly what both librosa and melcnn see) and librosa's outputs computed on that signal.
Matrices are stored in melcnn's orientation **[frames x bins]** (librosa's output transposed).
Parameters are attributes of each dataset (librosa defaults unless stated).
"""
import os

import h5py
import librosa
import numpy as np

SR = 22050
HERE = os.path.dirname(os.path.abspath(__file__))

GTZAN_COLUMNS = (
    ["chroma_stft_mean", "chroma_stft_var", "rms_mean", "rms_var",
     "spectral_centroid_mean", "spectral_centroid_var", "spectral_bandwidth_mean",
     "spectral_bandwidth_var", "rolloff_mean", "rolloff_var", "zero_crossing_rate_mean",
     "zero_crossing_rate_var", "harmony_mean", "harmony_var", "perceptr_mean", "perceptr_var",
     "tempo"]
    + [f"mfcc{i}_{s}" for i in range(1, 21) for s in ("mean", "var")]
)


# ---------------------------------------------------------------- synthesis
def envelope(n, decay_s):
    return np.exp(-np.arange(n) / (decay_s * SR))


def add(y, start_s, sig):
    i = int(round(start_s * SR))
    if i >= len(y):
        return
    m = min(len(sig), len(y) - i)
    y[i:i + m] += sig[:m]


def kick(rng):
    n = int(0.25 * SR)
    t = np.arange(n) / SR
    f = 50 + 90 * np.exp(-t / 0.03)                 # pitch drop
    phase = 2 * np.pi * np.cumsum(f) / SR
    # A positive "thump" plus the tone: kicks carry low-frequency (and DC) energy.
    return 0.6 * np.sin(phase) * envelope(n, 0.08) + 0.15 * envelope(n, 0.02)


def snare(rng):
    n = int(0.2 * SR)
    noise = rng.standard_normal(n)
    noise = np.convolve(noise, [1, -0.5], mode="same")  # brighten
    t = np.arange(n) / SR
    return 0.25 * noise * envelope(n, 0.05) + 0.2 * np.sin(2 * np.pi * 190 * t) * envelope(n, 0.04)


def hihat(rng):
    n = int(0.06 * SR)
    noise = rng.standard_normal(n)
    noise = noise - np.convolve(noise, np.ones(4) / 4, mode="same")  # high-pass
    return 0.12 * noise * envelope(n, 0.015)


def tone(freqs, dur_s, amp, decay_s=None, partials=4):
    n = int(dur_s * SR)
    t = np.arange(n) / SR
    y = np.zeros(n)
    for f in freqs:
        for k in range(1, partials + 1):
            if f * k < SR / 2:
                y += (amp / k) * np.sin(2 * np.pi * f * k * t)
    fade = np.minimum(1, np.minimum(np.arange(n), n - np.arange(n)) / (0.01 * SR))
    env = fade if decay_s is None else fade * envelope(n, decay_s)
    return y * env


def midi_hz(m, a4=440.0):
    return a4 * 2 ** ((m - 69) / 12)


def drums(y, rng, bpm, start_s, end_s, snare_on=True, hats=True):
    beat = 60.0 / bpm
    k = 0
    t = start_s
    while t < end_s - 1e-9:
        add(y, t, kick(rng) if k % 2 == 0 else (snare(rng) if snare_on else kick(rng) * 0.7))
        if hats:
            add(y, t + beat / 2, hihat(rng))
            add(y, t, hihat(rng))
        k += 1
        t = start_s + k * beat


def harmony(y, bpm, start_s, end_s, a4, seed_prog=0):
    beat = 60.0 / bpm
    prog = [[60, 64, 67], [57, 60, 64], [53, 57, 60], [55, 59, 62]]  # C Am F G
    prog = prog[seed_prog:] + prog[:seed_prog]
    bar = 0
    t = start_s
    while t < end_s - 1e-9:
        chord = prog[bar % len(prog)]
        dur = min(2 * beat, end_s - t)
        add(y, t, tone([midi_hz(m, a4) for m in chord], dur, 0.06, partials=5))
        add(y, t, tone([midi_hz(chord[0] - 24, a4)], dur, 0.18, decay_s=0.6, partials=3))
        bar += 1
        t = start_s + bar * 2 * beat


def to_int16(y):
    y = y / max(1.0, np.max(np.abs(y)) / 0.9)
    return np.clip(np.round(y * 32767), -32768, 32767).astype(np.int16)


def make_clips():
    rng = np.random.default_rng(20240611)
    clips = {}

    y = np.zeros(7 * SR)
    n = int(0.05 * SR)
    click = 0.5 * np.sin(2 * np.pi * 1000 * np.arange(n) / SR) * envelope(n, 0.01)
    for k in range(14):
        add(y, 0.25 + 0.5 * k, click)
    y += 1e-3 * rng.standard_normal(len(y))
    clips["click"] = to_int16(y)

    y = np.zeros(8 * SR)
    drums(y, rng, 110, 0.1, 8.0)
    harmony(y, 110, 0.1, 8.0, a4=442.0)
    y += 2e-3 * rng.standard_normal(len(y))
    clips["song"] = to_int16(y)

    y = np.zeros(12 * SR)
    drums(y, rng, 90, 0.2, 6.0)
    drums(y, rng, 132, 6.0, 12.0)
    y += 1e-3 * rng.standard_normal(len(y))
    clips["tempochange"] = to_int16(y)

    y = np.zeros(5 * SR)
    t = np.arange(5 * SR) / SR
    f0, f1 = 100.0, 4000.0
    phase = 2 * np.pi * f0 * 5 / np.log(f1 / f0) * ((f1 / f0) ** (t / 5) - 1)
    y += 0.3 * np.sin(phase)
    add(y, 0.0, tone([midi_hz(m, 435.0) for m in (57, 61, 64)], 5.0, 0.1, partials=4))
    y += 1e-3 * rng.standard_normal(len(y))
    clips["chirp"] = to_int16(y)

    y = np.zeros(30 * SR + 294)      # GTZAN clips hold 661794 samples
    drums(y, rng, 128, 0.05, 30.0)
    harmony(y, 128, 0.05, 15.0, a4=440.0)
    harmony(y, 128, 15.0, 30.0, a4=440.0, seed_prog=2)
    add(y, 20.0, 0.2 * np.sin(2 * np.pi * 1200 * np.arange(2 * SR) / SR) * envelope(2 * SR, 0.5))
    y += 0.01                       # a small DC offset, as many recordings have
    y += 2e-3 * rng.standard_normal(len(y))
    clips["gtzan30"] = to_int16(y)
    return clips


# ---------------------------------------------------------------- librosa outputs
def gtzan_row(y, sr=SR):
    """The GTZAN `features_30_sec.csv` row (without filename, length, label)."""
    chroma = librosa.feature.chroma_stft(y=y, sr=sr)
    rms = librosa.feature.rms(y=y)
    cent = librosa.feature.spectral_centroid(y=y, sr=sr)
    bw = librosa.feature.spectral_bandwidth(y=y, sr=sr)
    roll = librosa.feature.spectral_rolloff(y=y, sr=sr)
    zcr = librosa.feature.zero_crossing_rate(y)
    harm, perc = librosa.effects.hpss(y)
    tempo, _ = librosa.beat.beat_track(y=y, sr=sr)
    mfcc = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=20)
    row = []
    for x in (chroma, rms, cent, bw, roll, zcr, harm, perc):
        row += [np.mean(x, dtype=np.float64), np.var(x, dtype=np.float64)]
    row.append(float(np.atleast_1d(tempo)[0]))
    for i in range(20):
        row += [np.mean(mfcc[i], dtype=np.float64), np.var(mfcc[i], dtype=np.float64)]
    return np.array(row, dtype=np.float64)


def put(g, name, data, **attrs):
    d = g.create_dataset(name, data=data, compression="gzip", compression_opts=9, shuffle=True) \
        if np.ndim(data) > 0 and np.size(data) > 16 else g.create_dataset(name, data=data)
    for k, v in attrs.items():
        d.attrs[k] = v
    return d


def clip_features(f, y):
    sr = SR
    stft = dict(n_fft=2048, hop_length=512, center=True, pad_mode="constant", window="hann")
    put(f, "centroid", librosa.feature.spectral_centroid(y=y, sr=sr)[0], **stft)
    put(f, "bandwidth", librosa.feature.spectral_bandwidth(y=y, sr=sr)[0], p=2, **stft)
    put(f, "rolloff", librosa.feature.spectral_rolloff(y=y, sr=sr)[0], roll_percent=0.85, **stft)
    put(f, "flatness", librosa.feature.spectral_flatness(y=y)[0], amin=1e-10, power=2.0, **stft)
    put(f, "contrast", librosa.feature.spectral_contrast(y=y, sr=sr).T, fmin=200.0, n_bands=6,
        quantile=0.02, layout="frames x bins", **stft)
    put(f, "poly", librosa.feature.poly_features(y=y, sr=sr, order=1).T, order=1, layout="frames x bins")
    put(f, "zcr", librosa.feature.zero_crossing_rate(y)[0], frame_length=2048, hop_length=512, center=True)
    put(f, "rms", librosa.feature.rms(y=y)[0], frame_length=2048, hop_length=512, center=True)
    S = np.abs(librosa.stft(y, **stft)) ** 2
    tuning = librosa.estimate_tuning(S=S, sr=sr, bins_per_octave=12)
    put(f, "tuning", np.float64(tuning), resolution=0.01, bins_per_octave=12, input="power stft")
    put(f, "chroma_stft", librosa.feature.chroma_stft(y=y, sr=sr).T, n_chroma=12, norm="inf",
        layout="frames x bins", **stft)
    put(f, "chroma_filterbank", librosa.filters.chroma(sr=sr, n_fft=2048, tuning=tuning).T,
        tuning=tuning, layout="fft bins x chroma")
    env_mean = librosa.onset.onset_strength(y=y, sr=sr)
    env_median = librosa.onset.onset_strength(y=y, sr=sr, aggregate=np.median)
    put(f, "onset_env", env_mean, aggregate="mean", lag=1, max_size=1, n_mels=128)
    put(f, "onset_env_median", env_median, aggregate="median", lag=1, max_size=1, n_mels=128)
    put(f, "onset_frames", librosa.onset.onset_detect(onset_envelope=env_mean, sr=sr).astype(np.int64))
    tg = librosa.feature.tempogram(onset_envelope=env_median, sr=sr, win_length=344)
    put(f, "tempogram_mean", tg.mean(axis=1), win_length=344, onset="median aggregate")
    tempo, beats = librosa.beat.beat_track(onset_envelope=env_median, sr=sr)
    put(f, "tempo", np.float64(np.atleast_1d(tempo)[0]), start_bpm=120.0, std_bpm=1.0, ac_size=8.0,
        max_tempo=320.0, onset="median aggregate")
    put(f, "beats", beats.astype(np.int64), tightness=100.0, trim=True)


def main():
    clips = make_clips()
    for name, pcm in clips.items():
        y = (pcm.astype(np.float32) / np.float32(32768.0)).astype(np.float32)
        path = os.path.join(HERE, f"features_{name}.h5")
        with h5py.File(path, "w") as f:
            f.attrs["generator"] = "Tests/Fixtures/generate_feature_fixtures.py"
            f.attrs["librosa_version"] = librosa.__version__
            f.attrs["sample_rate"] = SR
            d = put(f, "audio", pcm)
            d.attrs["scale"] = "float32(audio) / 32768"
            if name == "gtzan30":
                seg = 3 * SR
                put(f, "row", gtzan_row(y), columns=np.array(GTZAN_COLUMNS, dtype=object),
                    dtype_note="float64 means/vars of librosa's float32 features; tempo from beat_track")
                put(f, "row_segment0", gtzan_row(y[:seg]), columns=np.array(GTZAN_COLUMNS, dtype=object),
                    samples=seg)
            else:
                clip_features(f, y)
            if name == "song":
                ex = y[: 3 * SR // 2]
                h, p = librosa.effects.hpss(ex)
                g = f.create_group("hpss")
                g.attrs.update(dict(kernel_size=31, power=2.0, margin=1.0, excerpt_samples=3 * SR // 2))
                put(g, "harmonic", h)
                put(g, "percussive", p)
        print(f"{path}: {os.path.getsize(path) / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
