#!/usr/bin/env python3
"""Writes a long synthetic 16-bit stereo WAV at 44100 Hz (tones, a chirp, clicks) in blocks,
for the memory measurements of docs/memory.md. Usage: long_wav.py OUT.wav MINUTES"""
import sys
import wave

import numpy as np

out, minutes = sys.argv[1], float(sys.argv[2])
rate, total = 44100, int(float(sys.argv[2]) * 60 * 44100)
with wave.open(out, "wb") as w:
    w.setnchannels(2)
    w.setsampwidth(2)
    w.setframerate(rate)
    block = rate * 10
    for start in range(0, total, block):
        i = np.arange(start, min(total, start + block))
        t = i / rate
        f = 220 + 30 * ((i // rate) % 9)
        left = 0.25 * np.sin(2 * np.pi * f * t) + 0.3 * ((i % 11025) < 200)
        right = 0.2 * np.sin(2 * np.pi * (300 + 100 * np.sin(t / 7)) * t)
        frames = np.stack([left, right], axis=1)
        w.writeframes((np.clip(frames, -1, 1) * 32767).astype("<i2").tobytes())
