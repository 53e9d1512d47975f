"""librosa side of the `dsp` benchmark area (same names as `melcnn-bench dsp`).

usage: peer.py --clip CLIP.wav [--runs 21]      times librosa on the clip, JSON lines on stdout
       peer.py --write-clip CLIP.wav            writes the 30 s 22050 Hz mono test clip (16-bit WAV)
One thread: run.sh sets OMP/OPENBLAS/MKL/NUMBA thread counts to 1. Median of `runs` after 2 warm-ups, of the
process CPU time (time.process_time), like `melcnn-bench dsp`: stable on a shared machine.
"""
import argparse
import json
import time

import numpy as np


def write_clip(path):
    import soundfile as sf
    sr, seconds = 22050, 30
    rng = np.random.default_rng(7)
    t = np.arange(sr * seconds) / sr
    y = np.zeros_like(t)
    # a chord progression of harmonic tones, a noise hi-hat and kick clicks: music-like spectra
    for i, root in enumerate([220.0, 174.61, 196.0, 261.63] * 4):
        seg = (t >= i * 1.875) & (t < (i + 1) * 1.875)
        for ratio in (1, 1.25, 1.5):
            for h in range(1, 6):
                y[seg] += 0.08 / h * np.sin(2 * np.pi * root * ratio * h * t[seg])
    beat = (t % 0.5) < 0.02
    y[beat] += 0.3 * rng.standard_normal(beat.sum())
    y += 0.01 * rng.standard_normal(t.size)
    sf.write(path, (y / np.abs(y).max() * 0.8).astype(np.float32), sr, subtype="PCM_16")


def median_ms(fn, runs, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.process_time()  # CPU time of the process, as melcnn's side measures
        fn()
        times.append((time.process_time() - start) * 1e3)
    return float(np.median(times))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clip")
    ap.add_argument("--write-clip")
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    if args.write_clip:
        write_clip(args.write_clip)
        return
    import librosa
    import scipy.fft

    y, sr = librosa.load(args.clip, sr=22050)

    def emit(name, ms):
        print(json.dumps({"name": name, "ms": round(ms, 4), "audio_s": round(len(y) / sr, 3)}), flush=True)

    emit("dsp.stft", median_ms(lambda: librosa.stft(y), args.runs))
    emit("dsp.mel_db", median_ms(lambda: librosa.power_to_db(librosa.feature.melspectrogram(y=y, sr=sr)), args.runs))
    emit("dsp.mfcc", median_ms(lambda: librosa.feature.mfcc(y=y, sr=sr), args.runs))

    def load_logmel():
        z, _ = librosa.load(args.clip, sr=22050)
        return librosa.power_to_db(librosa.feature.melspectrogram(y=z, sr=22050))

    emit("dsp.load_wav_logmel", median_ms(load_logmel, args.runs))

    # numpy floor: the same FFT + power + mel + log on pre-windowed frames, dense mel matmul
    n_fft, hop = 2048, 512
    frames = librosa.util.frame(np.pad(y, n_fft // 2), frame_length=n_fft, hop_length=hop)
    windowed = np.ascontiguousarray((frames * librosa.filters.get_window("hann", n_fft)[:, None]).T.astype(np.float32))
    basis = librosa.filters.mel(sr=sr, n_fft=n_fft)

    def floor():
        X = scipy.fft.rfft(windowed, axis=-1)
        P = X.real ** 2 + X.imag ** 2
        return 10 * np.log10(np.maximum(1e-10, P @ basis.T))

    emit("dsp.floor_fft_power_mel_log", median_ms(floor, args.runs))


if __name__ == "__main__":
    main()
