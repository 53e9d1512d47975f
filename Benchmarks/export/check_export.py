"""Checks `melcnn export` against melcnn itself and the reference loaders (run by hand and by
`make bench`, not in CI).

    python check_export.py --melcnn .build/release/melcnn --checkpoint RUN/best.h5 \
        --data DATA.h5 --audio-root AUDIO_DIR --work OUT_DIR

1. safetensors: `safetensors.numpy.load_file` gives every /model array of the checkpoint bit
   for bit; with torch installed, `Benchmarks/train/torch_model.py`'s GenreCNN loads it with
   `load_state_dict(strict=True)`.
2. ONNX: `onnx.checker` (full check) passes; onnxruntime on the data set's normalised patches
   (the patches `melcnn predict` cuts: hop from the config, last patch flush with the end),
   averaged per track, equals `melcnn predict --json` within 1e-5; the `embedding` output has
   the pooled width.
3. Factor models (checkpoint attribute task = "factors", trained on `prepare --targets` data):
   safetensors `out.weight` / `out.bias` are the checkpoint's with `/targets/mean`, `/targets/std`
   folded in (`w * std[:, None]`, `b * std + mean`, float32, bit for bit); the ONNX output
   `factors`, averaged per track, equals `melcnn embed --layer factors` within 1e-5 (relative
   to the largest factor).
"""
import argparse, json, os, subprocess, sys

import h5py
import numpy as np


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def eval_starts(n, patch, hop):
    if n <= patch:
        return [0]
    starts = list(range(0, n - patch + 1, hop))
    if starts[-1] != n - patch:
        starts.append(n - patch)
    return starts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--melcnn", required=True)
    ap.add_argument("--checkpoint", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--audio-root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--tracks", type=int, default=8)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    st_path, onnx_path = os.path.join(args.work, "model.safetensors"), os.path.join(args.work, "model.onnx")
    run([args.melcnn, "export", "--checkpoint", args.checkpoint, "--format", "safetensors", "--out", st_path])
    run([args.melcnn, "export", "--checkpoint", args.checkpoint, "--format", "onnx", "--out", onnx_path])
    failures = 0

    from safetensors.numpy import load_file
    tensors = load_file(st_path)
    with h5py.File(args.checkpoint, "r") as f:
        model = {k: f["model"][k][()] for k in f["model"].keys()}
        mean, std = f["normalizer/mean"][()], f["normalizer/std"][()]
        classes = [c.decode() if isinstance(c, bytes) else c for c in f["classes"][()]]
        factor_model = f.attrs.get("task") in ("factors", b"factors")
        if factor_model and "targets" in f:
            t_mean, t_std = f["targets/mean"][()], f["targets/std"][()]
            model["out.weight"] = (model["out.weight"] * t_std[:, None]).astype(np.float32)
            model["out.bias"] = (model["out.bias"] * t_std + t_mean).astype(np.float32)
            print("safetensors: factor model, target statistics folded into out.weight and out.bias")
    for k, v in model.items():
        same = k in tensors and np.array_equal(tensors[k].astype(np.float64).reshape(v.shape), v.astype(np.float64))
        if not same:
            print(f"safetensors: {k} differs"); failures += 1
    extra = set(tensors) - set(model)
    print(f"safetensors: {len(model)} arrays bit for bit" + (f", extra {sorted(extra)}" if extra else ""))
    try:
        import torch
        sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "train"))
        from torch_model import GenreCNN, read_config
        from safetensors.torch import load_file as torch_load
        import onnx
        config_path = os.path.join(args.work, "config.yaml")
        with open(config_path, "w") as f:
            f.write({p.key: p.value for p in onnx.load(onnx_path).metadata_props}["config"])
        net = GenreCNN(read_config(config_path)["model"], len(mean), len(classes))
        net.load_state_dict(torch_load(st_path), strict=True)
        print("safetensors: torch load_state_dict(strict=True) ok")
    except ImportError:
        print("safetensors: torch not installed, strict load not tried")

    import onnx, onnxruntime as ort
    proto = onnx.load(onnx_path)
    onnx.checker.check_model(proto, full_check=True)
    meta = {p.key: p.value for p in proto.metadata_props}
    patch = int(meta["patch_frames"])
    hop_line = [l for l in meta["config"].splitlines() if l.strip().startswith("patch_hop:")]
    hop = int(float(hop_line[0].split(":")[1])) if hop_line else 0
    hop = hop if hop > 0 else max(1, patch // 2)
    session = ort.InferenceSession(onnx_path)
    worst = 0.0
    with h5py.File(args.data, "r") as f:
        paths = [p.decode() if isinstance(p, bytes) else p for p in f["tracks/path"][()]]
        offsets, frames = f["tracks/offset"][()], f["tracks/frames"][()]
        for t in range(min(args.tracks, len(paths))):
            mels = f["mels"][offsets[t]: offsets[t] + frames[t]]
            x = ((mels - mean) / std).astype(np.float32)
            batch = np.stack([x[s: s + patch].T for s in eval_starts(len(x), patch, hop)])
            probs, emb = session.run(["factors" if factor_model else "probabilities", "embedding"], {"logmel": batch})
            ours = probs.mean(0)
            if factor_model:
                emb_path = os.path.join(args.work, "factors.h5")
                run([args.melcnn, "embed", "--checkpoint", args.checkpoint, "--layer", "factors", "--out", emb_path,
                     os.path.join(args.audio_root, paths[t])])
                with h5py.File(emb_path, "r") as e:
                    theirs = e["embeddings"][0]
                err = float(np.max(np.abs(ours - theirs)) / max(1e-12, float(np.max(np.abs(theirs)))))
            else:
                out = json.loads(run([args.melcnn, "predict", "--checkpoint", args.checkpoint, "--json",
                                      "--top", str(len(classes)), os.path.join(args.audio_root, paths[t])]))
                theirs = {c["genre"]: c["probability"] for c in out[0]["top"]}
                err = max(abs(ours[i] - theirs[c]) for i, c in enumerate(classes))
            worst = max(worst, err)
            if err > 1e-5:
                print(f"onnx: {paths[t]} differs from melcnn by {err:.2e}"); failures += 1
    reference = "melcnn embed --layer factors (relative)" if factor_model else "melcnn predict (printed to 6 decimals)"
    print(f"onnx: {min(args.tracks, len(paths))} tracks, largest difference from {reference} {worst:.2e}, "
          f"embedding width {emb.shape[1]}")
    print("export check:", "FAILED" if failures else "ok")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
