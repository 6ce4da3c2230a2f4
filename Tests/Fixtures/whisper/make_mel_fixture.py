#!/usr/bin/env python3
"""Regenerates mel-input.s16 and mel-expected.f32 (run once; both are committed).

Input: 0.6 s of a deterministic signal (a chirp, a tone burst and seeded noise) as 16 kHz
s16le. Expected: faster-whisper 1.2.1's FeatureExtractor (the reference log-mel of the
model mybro-transcribe reproduces), default padding, as float32 little-endian [80 × frames].
"""
import numpy as np
from faster_whisper.feature_extractor import FeatureExtractor

rate = 16000
t = np.arange(int(0.6 * rate)) / rate
rng = np.random.default_rng(7)
signal = 0.3 * np.sin(2 * np.pi * (200 * t + 2000 * t * t))
signal += 0.2 * np.sin(2 * np.pi * 1234 * t) * (t > 0.3)
signal += 0.02 * rng.standard_normal(t.size)
pcm = np.clip(np.round(signal * 32767), -32768, 32767).astype("<i2")
pcm.tofile("mel-input.s16")
features = FeatureExtractor()(pcm.astype(np.float32) / 32768.0)
print(features.shape, features.min(), features.max())
features.astype("<f4").tofile("mel-expected.f32")
