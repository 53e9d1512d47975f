"""One table for the `nn` benchmark area: throughput, conv GFLOP/s vs SGEMM, peak RSS.

usage: summary.py MELCNN.jsonl TORCH.jsonl [OPENBLAS.jsonl]
OPENBLAS.jsonl: melcnn's SGEMM run with MELCNN_SGEMM=openblas, printed for reference.
Ratios are melcnn / torch for throughput (above 1: melcnn faster) and torch / melcnn for memory.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return {r["name"]: r for r in (json.loads(line) for line in f if line.startswith("{"))}


def main():
    ours, peer = load(sys.argv[1]), load(sys.argv[2])
    openblas = load(sys.argv[3]) if len(sys.argv) > 3 else {}
    rows = []
    threads = sorted({int(n.rsplit("_t", 1)[1]) for n in ours if "_t" in n})
    for t in threads:
        for kind, label in (("train_b32", "training samples/s, batch 32"), ("infer_b64", "inference samples/s, batch 64"),
                            ("train_cnn2d_b32", "short-chunk CNN training samples/s, b32"),
                            ("train_res2d_b32", "residual CNN training samples/s, b32")):
            a, b = ours.get(f"nn_{kind}_t{t}"), peer.get(f"nn_{kind}_t{t}")
            if a and b:
                rows.append((f"{label}, {t} thr", a["samples_per_s"], b["samples_per_s"],
                             a["samples_per_s"] / b["samples_per_s"]))
        s_a, s_b = ours.get(f"nn_sgemm_1024_t{t}"), peer.get(f"nn_sgemm_1024_t{t}")
        c_a, c_b = ours.get(f"nn_conv_fwd_bwd_b32_t{t}"), peer.get(f"nn_conv_fwd_bwd_b32_t{t}")
        if s_a and s_b:
            rows.append((f"SGEMM 1024^3 GFLOP/s, {t} thr ({s_a.get('backend', 'openblas')})", s_a["gflops"],
                         s_b["gflops"], s_a["gflops"] / s_b["gflops"]))
        o = openblas.get(f"nn_sgemm_1024_t{t}")
        if o and o.get("backend") == "openblas":
            rows.append((f"  OpenBLAS SGEMM GFLOP/s, {t} thr", o["gflops"], None, None))
        if c_a and c_b:
            rows.append((f"conv fwd+bwd GFLOP/s (direct-conv FLOPs), {t} thr", c_a["gflops"], c_b["gflops"], c_a["gflops"] / c_b["gflops"]))
            if s_a and s_b:
                rows.append((f"  as fraction of own SGEMM, {t} thr", c_a["gflops"] / s_a["gflops"],
                             c_b["gflops"] / s_b["gflops"], None))
                # The best SGEMM rate this CPU gave in the run: melcnn's kernel, OpenBLAS, PyTorch's.
                best = max(s_a["gflops"], s_b["gflops"], o["gflops"] if o else 0)
                rows.append((f"  melcnn conv as fraction of best SGEMM, {t} thr", c_a["gflops"] / best, None, None))
        for kind, label in (("conv2d", "short-chunk CNN 2-D trunk"), ("res2d", "residual 2-D trunk")):
            a, b = ours.get(f"nn_{kind}_fwd_bwd_b32_t{t}"), peer.get(f"nn_{kind}_fwd_bwd_b32_t{t}")
            if a and b:
                rows.append((f"{label} fwd+bwd GFLOP/s, b32, {t} thr", a["gflops"], b["gflops"], a["gflops"] / b["gflops"]))
        a, b = ours.get(f"nn_train_b32_t{t}"), peer.get(f"nn_train_b32_t{t}")
        if a and b:
            rows.append((f"peak RSS MB training b32, {t} thr", a["rss_mb"], b["rss_mb"], b["rss_mb"] / a["rss_mb"]))
    routes = sorted({r["route"] for r in ours.values() if "route" in r})
    print("melcnn route: " + ("; ".join(routes) if routes else "-"))
    print(f"{'nn benchmark':<44} {'melcnn':>10} {'torch':>10} {'ratio':>7}")
    for label, x, y, r in rows:
        peer_text = f"{y:>10.2f}" if y is not None else f"{'':>10}"
        print(f"{label:<44} {x:>10.2f} {peer_text} {('%.2fx' % r) if r is not None else '':>7}")


if __name__ == "__main__":
    main()
