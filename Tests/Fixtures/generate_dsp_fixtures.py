"""Writes the DSP parity fixtures under Tests/Fixtures/dsp/ from librosa 0.11.

usage: python Tests/Fixtures/generate_dsp_fixtures.py   (pinned versions: requirements.txt)

Every matrix is stored in melcnn's orientation, [frames x bins] (librosa's output
transposed), float32, with the parameters that produced it as attributes.
Files (all small; together well under 2 MB):
  signals.h5  the inputs: chirp, chord_noise, silence_edges, odd_length, one_second
  core.h5     windows (scipy get_window, periodic) and frame counts for many lengths
  spectral.h5 stft magnitudes / complex parts for several parameter sets
  mel.h5      mel filterbanks and mel spectrograms (slaney / htk, norm / none, power 2 / 1)
  scaling.h5  power_to_db / amplitude_to_db / db_to_power
  cepstral.h5 mfcc (with and without lifter) and delta (order 1 and 2)
"""
import os
import warnings

import h5py
import librosa
import numpy as np
import scipy.signal

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "dsp")
SR = 22050


def signals():
    """The five inputs of the issue, float32 at 22050 Hz, deterministic."""
    rng = np.random.default_rng(20240601)
    t = lambda n: np.arange(n) / SR
    out = {}
    n = int(0.75 * SR)
    out["chirp"] = scipy.signal.chirp(t(n), f0=100, t1=0.75, f1=8000, method="logarithmic") * 0.5
    n = SR // 2
    chord = sum(np.sin(2 * np.pi * f * t(n)) for f in (220.0, 277.18, 329.63, 440.0)) * 0.2
    out["chord_noise"] = chord + 0.05 * rng.standard_normal(n)
    n = int(0.6 * SR)
    y = np.zeros(n)
    a, b = int(0.15 * SR), n - int(0.15 * SR)
    tone = np.sin(2 * np.pi * 1000 * t(b - a)) * np.hanning(b - a)
    y[a:b] = tone + 0.01 * rng.standard_normal(b - a)
    out["silence_edges"] = y
    n = 7777  # not a multiple of any hop used here
    out["odd_length"] = 0.3 * np.sin(2 * np.pi * 660 * t(n)) + 0.1 * rng.standard_normal(n)
    n = SR
    env = np.exp(-3 * (t(n) % 0.25))
    out["one_second"] = env * sum(np.sin(2 * np.pi * 196 * k * t(n)) / k for k in range(1, 8)) * 0.3
    return {k: v.astype(np.float32) for k, v in out.items()}


def put(f, name, array, **attrs):
    data = np.asarray(array)
    if data.dtype == np.float64:
        data = data.astype(np.float32)
    ds = f.create_dataset(name, data=data, compression="gzip", compression_opts=6)
    for k, v in attrs.items():
        ds.attrs[k] = "none" if v is None else v
    return ds


def main():
    os.makedirs(OUT, exist_ok=True)
    sig = signals()

    with h5py.File(os.path.join(OUT, "signals.h5"), "w") as f:
        f.attrs["sr"] = SR
        for k, v in sig.items():
            put(f, k, v, sr=SR)

    # ---- core: windows and frame counts
    with h5py.File(os.path.join(OUT, "core.h5"), "w") as f:
        for name, scipy_name in (("hann", "hann"), ("hamming", "hamming"), ("rectangular", "boxcar")):
            for n in (2048, 15, 1):
                # float64 here: librosa multiplies frames by the float64 window.
                f.create_dataset(f"window/{name}_{n}", data=scipy.signal.get_window(scipy_name, n, fftbins=True))
        lengths = np.array([1, 2, 100, 255, 256, 257, 511, 512, 513, 1000, 1023, 1024, 1025,
                            2047, 2048, 2049, 4097, 7777, 22050], dtype=np.int64)
        configs = [  # n_fft, hop, center, pad_mode
            (2048, 512, True, "constant"), (2048, 512, True, "reflect"), (2048, 512, False, "constant"),
            (512, 128, True, "constant"), (512, 100, True, "reflect"), (1023, 256, True, "constant"),
            (256, 256, False, "constant"), (7, 2, True, "constant"),
        ]
        counts = np.zeros((len(configs), len(lengths)), dtype=np.int64)
        for i, (n_fft, hop, center, pad) in enumerate(configs):
            for j, n in enumerate(lengths):
                y = np.sin(np.arange(n, dtype=np.float32))
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        S = librosa.stft(y, n_fft=n_fft, hop_length=hop, center=center, pad_mode=pad)
                    assert S.shape[0] == 1 + n_fft // 2
                    counts[i, j] = S.shape[1]
                except librosa.util.exceptions.ParameterError:
                    counts[i, j] = -1  # librosa refuses (uncentred and shorter than n_fft)
        f.create_dataset("frames/lengths", data=lengths)
        f.create_dataset("frames/n_fft", data=np.array([c[0] for c in configs], dtype=np.int64))
        f.create_dataset("frames/hop_length", data=np.array([c[1] for c in configs], dtype=np.int64))
        f.create_dataset("frames/center", data=np.array([int(c[2]) for c in configs], dtype=np.int64))
        f.create_dataset("frames/reflect", data=np.array([int(c[3] == "reflect") for c in configs], dtype=np.int64))
        f.create_dataset("frames/count", data=counts)
        # librosa.util.frame on a short ramp: [frames x frame_length]
        ramp = np.arange(20, dtype=np.float32)
        f.create_dataset("util_frame", data=librosa.util.frame(ramp, frame_length=6, hop_length=4).T.copy())

    # ---- spectral: stft
    with h5py.File(os.path.join(OUT, "spectral.h5"), "w") as f:
        cases = {  # name: (signal, n_fft, hop, win_length, window, center, pad_mode, store complex)
            "chirp": ("chirp", 2048, 512, 2048, "hann", True, "constant", False),
            "odd_length": ("odd_length", 2048, 512, 2048, "hann", True, "constant", False),
            "silence_edges": ("silence_edges", 1024, 256, 1024, "hann", True, "constant", False),
            "reflect": ("chord_noise", 1024, 256, 1024, "hann", True, "reflect", False),
            "short_win_hamming": ("one_second", 1024, 300, 700, "hamming", True, "constant", False),
            "uncentred": ("odd_length", 512, 128, 512, "hann", False, "constant", False),
            "complex": ("odd_length", 512, 128, 512, "hann", True, "constant", True),
        }
        for name, (s, n_fft, hop, win, window, center, pad, cplx) in cases.items():
            S = librosa.stft(sig[s], n_fft=n_fft, hop_length=hop, win_length=win, window=window,
                             center=center, pad_mode=pad)
            g = f.create_group(name)
            for k, v in dict(signal=s, n_fft=n_fft, hop_length=hop, win_length=win, window=window,
                             center=int(center), pad_mode=pad).items():
                g.attrs[k] = v
            put(g, "magnitude", np.abs(S).T)
            if cplx:
                put(g, "real", S.real.T)
                put(g, "imag", S.imag.T)

    # ---- mel
    with h5py.File(os.path.join(OUT, "mel.h5"), "w") as f:
        banks = {  # name: sr, n_fft, n_mels, fmin, fmax, htk, norm
            "slaney_16k": (16000, 512, 40, 0.0, None, False, "slaney"),
            "htk_none_16k": (16000, 512, 40, 30.0, 7000.0, True, None),
            "slaney_22k_fmin": (22050, 1024, 64, 50.0, 8000.0, False, "slaney"),
        }
        for name, (sr, n_fft, n_mels, fmin, fmax, htk, norm) in banks.items():
            W = librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin, fmax=fmax, htk=htk, norm=norm)
            put(f, f"filterbank/{name}", W, sr=sr, n_fft=n_fft, n_mels=n_mels, fmin=fmin,
                fmax=sr / 2 if fmax is None else fmax, htk=int(htk), norm=norm or "none")
        # empty-filter warning: 1 where librosa warns
        empty = [(22050, 2048, 128), (22050, 512, 128), (22050, 256, 128), (8000, 512, 128), (22050, 2048, 256)]
        flags = []
        for sr, n_fft, n_mels in empty:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels)
            flags.append(int(any("Empty filters" in str(x.message) for x in w)))
        f.create_dataset("empty/config", data=np.array(empty, dtype=np.int64))  # rows: sr, n_fft, n_mels
        f.create_dataset("empty/warns", data=np.array(flags, dtype=np.int64))
        specs = {  # name: signal, kwargs
            "chirp": ("chirp", {}),
            "chord_noise": ("chord_noise", {}),
            "silence_edges": ("silence_edges", {}),
            "odd_length": ("odd_length", {}),
            "one_second": ("one_second", {}),
            "htk_none_power1": ("chord_noise", dict(htk=True, norm=None, power=1.0, n_mels=64, fmin=20.0, fmax=9000.0)),
            "reflect_1024": ("one_second", dict(n_fft=1024, hop_length=256, pad_mode="reflect", n_mels=96)),
        }
        for name, (s, kw) in specs.items():
            M = librosa.feature.melspectrogram(y=sig[s], sr=SR, **kw)
            full = dict(signal=s, sr=SR, n_fft=2048, hop_length=512, n_mels=128, fmin=0.0, fmax=SR / 2,
                        htk=0, norm="slaney", power=2.0, pad_mode="constant")
            full.update({k: (int(v) if isinstance(v, bool) else v) for k, v in kw.items()})
            put(f, f"melspectrogram/{name}", M.T, **full)

    # ---- scaling
    with h5py.File(os.path.join(OUT, "scaling.h5"), "w") as f:
        for s in ("chirp", "silence_edges", "one_second"):
            M = librosa.feature.melspectrogram(y=sig[s], sr=SR)
            put(f, f"power_to_db/{s}", librosa.power_to_db(M).T, ref=1.0, amin=1e-10, top_db=80.0)
        M = librosa.feature.melspectrogram(y=sig["silence_edges"], sr=SR)
        put(f, "power_to_db_refmax_notop", librosa.power_to_db(M, ref=np.max, top_db=None).T,
            signal="silence_edges", ref="max", amin=1e-10, top_db="none")
        put(f, "power_to_db_ref_amin", librosa.power_to_db(M, ref=0.01, amin=1e-6, top_db=40.0).T,
            signal="silence_edges", ref=0.01, amin=1e-6, top_db=40.0)
        mag = np.abs(librosa.stft(sig["chord_noise"], n_fft=512, hop_length=256))
        put(f, "amplitude_to_db_refmax", librosa.amplitude_to_db(mag, ref=np.max).T,
            signal="chord_noise", n_fft=512, hop_length=256, ref="max", amin=1e-5, top_db=80.0)
        db = np.linspace(-80, 10, 91, dtype=np.float32).reshape(7, 13)
        put(f, "db_to_power/input", db)
        put(f, "db_to_power/output", librosa.db_to_power(db, ref=2.0), ref=2.0)

    # ---- cepstral
    with h5py.File(os.path.join(OUT, "cepstral.h5"), "w") as f:
        for s in ("chirp", "chord_noise", "silence_edges", "odd_length", "one_second"):
            put(f, f"mfcc/{s}", librosa.feature.mfcc(y=sig[s], sr=SR).T, n_mfcc=20, lifter=0.0)
        put(f, "mfcc_lifter", librosa.feature.mfcc(y=sig["one_second"], sr=SR, n_mfcc=13, lifter=22).T,
            signal="one_second", n_mfcc=13, lifter=22.0)
        m = librosa.feature.mfcc(y=sig["one_second"], sr=SR)
        put(f, "delta/input", m.T, signal="one_second")
        put(f, "delta/order1", librosa.feature.delta(m, order=1).T, width=9, order=1)
        put(f, "delta/order2", librosa.feature.delta(m, order=2).T, width=9, order=2)
        put(f, "delta/width5_order1", librosa.feature.delta(m, width=5, order=1).T, width=5, order=1)
        put(f, "delta/width3_order2", librosa.feature.delta(m, width=3, order=2).T, width=3, order=2)

    total = sum(os.path.getsize(os.path.join(OUT, x)) for x in os.listdir(OUT))
    print(f"wrote {OUT} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
