#!/usr/bin/env bash
# `nn` benchmark area: the full-size Spotify-style network, melcnn vs PyTorch.
# Each configuration (training batch 32, inference batch 64, conv stack, SGEMM, the 2-D
# short-chunk and residual trunks of Configs/shortchunk.yaml and resnet.yaml; 1 and 2
# threads) runs in its own process on both sides, so peak RSS is per configuration.
# Env: MELCNN_BIN (release melcnn), MELCNN_BENCH (release melcnn-bench), PEER_PYTHON (python with torch). Output: bench-output/nn-*.jsonl
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${MELCNN_BIN:=.build/release/melcnn}"
: "${MELCNN_BENCH:=.build/release/melcnn-bench}"
: "${PEER_PYTHON:=python3}"
mkdir -p bench-output
ours=bench-output/nn-melcnn.jsonl
peer=bench-output/nn-torch.jsonl
: > "$ours"
: > "$peer"
for threads in ${NN_BENCH_THREADS:-1 2}; do
    for config in sgemm conv train infer conv2d res2d train_cnn2d train_res2d; do
        echo "nn: $config, $threads thread(s)" >&2
        OMP_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$threads \
            "$MELCNN_BENCH" nn --config "$config" --threads "$threads" >> "$ours"
        OMP_NUM_THREADS=$threads MKL_NUM_THREADS=$threads \
            "$PEER_PYTHON" Benchmarks/nn/peer.py --config "$config" --threads "$threads" >> "$peer"
    done
done
# OpenBLAS's own SGEMM rate beside melcnn's kernel, for reference (same binary, forced backend).
openblas=bench-output/nn-openblas.jsonl
: > "$openblas"
for threads in ${NN_BENCH_THREADS:-1 2}; do
    MELCNN_SGEMM=openblas OPENBLAS_NUM_THREADS=$threads \
        "$MELCNN_BENCH" nn --config sgemm --threads "$threads" >> "$openblas"
done
"$PEER_PYTHON" Benchmarks/report.py "$ours" "$peer" --peer-name torch
"$PEER_PYTHON" Benchmarks/nn/summary.py "$ours" "$peer" "$openblas"
