#!/usr/bin/env python3
"""Score mybro-vad beside the WebRTC reference (and Silero VAD when installed) on a labelled
VAD set (../shared/data/vad-eval, or one made by make_evalset.py --seed N --out DIR).

Frame level (30 ms frames; a frame is speech if >= 50 % of it lies in a ground-truth 'speech'
region): precision / recall / F1 for the reference modes 0-3 (the webrtcvad wheel, identical
to Debian's C library), `mybro-vad --frames` for the same modes (it must match the reference
exactly: mismatching frames are counted and printed), and Silero v6.

Utterance level against the ground-truth 'utterances': the reference's and Silero's frames
through the simple segmenter of shared/bench/eval_vad.py (a 300 ms ring, start at >= 90 %
voiced with the segment starting at the ring's first frame, end at >= 90 % unvoiced), and
mybro-vad's own segmenter (`--segments`, defaults unless --vad-args says otherwise). Counts:
detected, matched, missed, false alarms, merges (one detection covering several true
utterances), splits (one true utterance cut into several), and boundary errors in ms
(detected - true) over cleanly matched 1:1 pairs. mybro-vad segments are scored without
padding (--pad-ms 0) because padding deliberately widens the audio handed downstream.

Usage: eval_segments.py [--set DIR] [--bin PATH] [--modes 0,1,2,3] [--vad-args "..."]
Runs with the anchors venv (numpy, soundfile, webrtcvad-wheels; faster-whisper+onnxruntime for Silero).
"""
import argparse, collections, glob, json, os, shlex, subprocess, sys
import numpy as np
import soundfile as sf
import webrtcvad

SR = 16000
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))


def reference_frames(x16, mode, ms=30):
    length = SR * ms // 1000
    raw = x16.tobytes()
    vad = webrtcvad.Vad(mode)
    n = len(x16) // length
    return np.array([vad.is_speech(raw[i * 2 * length:(i + 1) * 2 * length], SR) for i in range(n)], bool), length


def mybro_frames(binary, wav, mode, ms=30):
    out = subprocess.run([binary, "--frames", "--mode", str(mode), "--frame-ms", str(ms)], stdin=open(wav, "rb"),
                         capture_output=True, check=True).stdout.split()
    return np.array([v == b"1" for v in out], bool)


def mybro_segments(binary, wav, mode, extra):
    args = [binary, "--segments", "--mode", str(mode), "--pad-ms", "0"] + extra
    lines = subprocess.run(args, stdin=open(wav, "rb"), capture_output=True, check=True).stdout.decode().splitlines()
    return [(r["t0"], r["t1"]) for r in map(json.loads, lines) if r.get("type") == "segment"]


def truth_frames(regions, n_frames, length, n):
    mask = np.zeros(n, bool)
    for s, e in regions:
        mask[int(round(s * SR)):int(round(e * SR))] = True
    return mask[:n_frames * length].reshape(n_frames, length).mean(1) >= 0.5


def simple_segmenter(decisions, length, ring_size=10, ratio=0.9):
    """The py-webrtcvad-example segmenter that shared/bench/eval_vad.py scores (reimplemented)."""
    segments, ring, triggered, start = [], collections.deque(maxlen=ring_size), False, 0
    for i, voiced in enumerate(decisions):
        ring.append((i, voiced))
        if not triggered and sum(v for _, v in ring) >= ratio * ring_size:
            triggered, start = True, ring[0][0]
            ring.clear()
        elif triggered and sum(1 - v for _, v in ring) >= ratio * ring_size:
            segments.append((start * length / SR, (i + 1) * length / SR))
            triggered = False
            ring.clear()
    if triggered:
        segments.append((start * length / SR, len(decisions) * length / SR))
    return segments


def score(true, detected):
    overlap = lambda a, b: max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
    pairs = sorted(((overlap(t, d), i, j) for i, t in enumerate(true) for j, d in enumerate(detected)
                    if overlap(t, d) > 0), reverse=True)
    used_true, used_det, matched = set(), set(), []
    for _, i, j in pairs:
        if i not in used_true and j not in used_det:
            used_true.add(i); used_det.add(j); matched.append((i, j))
    hits_true = [sum(overlap(t, d) > 0 for d in detected) for t in true]
    hits_det = [sum(overlap(t, d) > 0 for t in true) for d in detected]
    errors = [((detected[j][0] - true[i][0]) * 1000, (detected[j][1] - true[i][1]) * 1000)
              for i, j in matched if hits_true[i] == 1 and hits_det[j] == 1]
    counts = dict(true=len(true), det=len(detected), match=len(matched), miss=hits_true.count(0),
                  fa=hits_det.count(0), merge=sum(h > 1 for h in hits_det), split=sum(h > 1 for h in hits_true),
                  clean=len(errors))
    return counts, errors


def load_silero():
    try:
        import faster_whisper, onnxruntime as ort
    except ImportError:
        return None
    model = os.path.join(os.path.dirname(faster_whisper.__file__), "assets", "silero_vad_v6.onnx")
    options = ort.SessionOptions(); options.inter_op_num_threads = 1; options.intra_op_num_threads = 1
    options.log_severity_level = 4
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"], sess_options=options)

    def frames(x16):
        x = x16.astype(np.float32)[:len(x16) // 512 * 512] / 32768.0
        windows = x.reshape(-1, 512)
        context = np.concatenate([np.zeros((1, 64), np.float32), windows[:-1, -64:]])
        batch = np.concatenate([context, windows], 1)
        h = np.zeros((1, 1, 128), np.float32); c = h.copy(); out = []
        for i in range(0, len(batch), 10000):
            p, h, c = session.run(None, {"input": batch[i:i + 10000], "h": h, "c": c}); out.append(p)
        return np.concatenate(out).reshape(-1) >= 0.5, 512
    return frames


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", default=os.path.join(ROOT, "..", "shared", "data", "vad-eval"))
    parser.add_argument("--bin", default=None, help="mybro-vad binary (default: .build/release, else .build/debug)")
    parser.add_argument("--modes", default="0,1,2,3")
    parser.add_argument("--vad-args", default="", help="extra mybro-vad segmenter options")
    parser.add_argument("--no-silero", action="store_true")
    a = parser.parse_args()
    binary = a.bin or next((p for p in (os.path.join(ROOT, ".build", c, "mybro-vad") for c in ("release", "debug"))
                            if os.path.exists(p)), None)
    if not binary:
        sys.exit("build mybro-vad first (swift build -c release --product mybro-vad)")
    modes = [int(m) for m in a.modes.split(",")]
    extra = shlex.split(a.vad_args)
    silero = None if a.no_silero else load_silero()

    files = sorted(glob.glob(os.path.join(a.set, "[0-9]*.json")))
    if not files:
        sys.exit(f"no labelled WAVs in {a.set}")
    frame_counts = collections.defaultdict(lambda: collections.defaultdict(lambda: np.zeros(3)))
    utterances = collections.defaultdict(collections.Counter)
    boundary = collections.defaultdict(list)
    mismatches = collections.Counter()
    for path in files:
        truth = json.load(open(path))
        wav = os.path.join(a.set, truth["file"])
        x16, rate = sf.read(wav, dtype="int16")
        assert rate == SR, f"{wav}: {rate} Hz"
        systems = {}
        for mode in modes:
            ref, length = reference_frames(x16, mode)
            ours = mybro_frames(binary, wav, mode)
            mismatches[mode] += int(np.sum(ref != ours[:len(ref)])) + abs(len(ref) - len(ours))
            systems[f"webrtc m{mode}"] = (ref, length, simple_segmenter(ref, length))
            systems[f"mybro-vad m{mode}"] = (ours, length, mybro_segments(binary, wav, mode, extra))
        if silero:
            decisions, length = silero(x16)
            systems["silero v6"] = (decisions, length, simple_segmenter(decisions, length))
        for name, (decisions, length, segments) in systems.items():
            gt = truth_frames(truth["speech"], len(decisions), length, len(x16))
            tp, fp, fn = np.sum(decisions & gt), np.sum(decisions & ~gt), np.sum(~decisions & gt)
            for condition in ("all", f"snr{truth['snr_db']:02d}", truth["noise"]):
                frame_counts[name][condition] += (tp, fp, fn)
            counts, errors = score([tuple(u) for u in truth["utterances"]], segments)
            utterances[name].update(counts)
            boundary[name] += errors

    prf = lambda t: (t[0] / max(1, t[0] + t[1]), t[0] / max(1, t[0] + t[2]), 2 * t[0] / max(1, 2 * t[0] + t[1] + t[2]))
    conditions = ["all", "snr20", "snr10", "snr05", "snr00", "white", "pink", "babble", "hum"]
    print(f"set: {os.path.abspath(a.set)} ({len(files)} files); mybro-vad: {binary} {' '.join(extra)}")
    print("frame mismatches mybro-vad vs reference: " + ", ".join(f"m{m} {mismatches[m]}" for m in modes))
    print("\nframe-level P/R/F1 (30 ms frames; Silero 32 ms windows)")
    print("system          " + " ".join(f"{c:>16s}" for c in conditions))
    for name in frame_counts:
        if name.startswith("mybro-vad"):
            continue  # identical to the reference row when the mismatch count is 0
        print(f"{name:15s} " + " ".join("{:.2f}/{:.2f}/{:.2f}".format(*prf(frame_counts[name][c])).rjust(16)
                                         for c in conditions))
    print("\nutterance level: webrtc/silero rows use the simple segmenter; mybro-vad rows its own (no padding)")
    print("errors in ms = detected - true over clean 1:1 pairs")
    print("system          true  det match miss  FA merge split clean | start mean|e| median | end mean|e| median")
    for name in utterances:
        r, e = utterances[name], np.array(boundary[name] or [(np.nan, np.nan)])
        print(f"{name:15s} {r['true']:4d} {r['det']:4d} {r['match']:5d} {r['miss']:4d} {r['fa']:3d} {r['merge']:5d}"
              f" {r['split']:5d} {r['clean']:5d} | {np.mean(np.abs(e[:, 0])):8.0f} {np.median(e[:, 0]):6.0f}"
              f" | {np.mean(np.abs(e[:, 1])):8.0f} {np.median(e[:, 1]):6.0f}")


if __name__ == "__main__":
    main()
