"""The Python side of `pnpm --filter @flint/bench audio`: torchaudio 0.13's MelSpectrogram and
Resample on the same WAV file as the Flint side.

Protocol: one JSON line in, one JSON line out, over stdin/stdout.
  {"cmd": "load", "path": wav}                -> {"frames": n, "sampleRate": sr}
  {"cmd": "sample", "case": name, "reps": k}  -> {"s": seconds for k calls, "shape": [...], "sum": float, "absSum": float}
  {"cmd": "info"}                             -> {"torch": version, "torchaudio": version, "threads": n}
Cases: "melspectrogram" (n_fft 400, hop 160, 80 mels), "resample_16k_8k", "resample_16k_44k1".
"""
import json
import sys
import time

import torch
import torchaudio
import torchaudio.transforms as T

waveform = None
sr = None
cases = {}


def build(sample_rate):
    return {
        'melspectrogram': T.MelSpectrogram(sample_rate=sample_rate, n_fft=400, hop_length=160, n_mels=80),
        'resample_16k_8k': T.Resample(16000, 8000),
        'resample_16k_44k1': T.Resample(16000, 44100),
    }


for line in sys.stdin:
    msg = json.loads(line)
    if msg['cmd'] == 'load':
        waveform, sr = torchaudio.load(msg['path'])
        cases = build(sr)
        out = {'frames': waveform.shape[1], 'sampleRate': sr}
    elif msg['cmd'] == 'sample':
        fn = cases[msg['case']]
        with torch.no_grad():
            t0 = time.perf_counter()
            for _ in range(msg['reps']):
                y = fn(waveform)
            s = time.perf_counter() - t0
        out = {'s': s, 'shape': list(y.shape), 'sum': float(y.double().sum()), 'absSum': float(y.double().abs().sum())}
    elif msg['cmd'] == 'info':
        out = {'torch': torch.__version__, 'torchaudio': torchaudio.__version__, 'threads': torch.get_num_threads()}
    else:
        out = {'error': 'unknown command'}
    sys.stdout.write(json.dumps(out) + '\n')
    sys.stdout.flush()
