#!/usr/bin/env bash
# `make demo`: the pipeline end to end on a synthetic data set (grows as the issues land).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/melcnn
OUT=demo-output
rm -rf "$OUT"; mkdir -p "$OUT"
echo "demo: melcnn $($BIN --version)"

$BIN info --cpu

# The model pipeline: synthetic music -> data set -> train -> eval -> embed -> similar -> predict,
# then pictures and recommendations from synthetic listening data.
# Each step prints the command a user would type for their own music.
START=$(date +%s)
step() {
    echo
    echo "==> $1"
    shift
    echo "\$ melcnn $*"
    local t0=$(date +%s)
    "$BIN" "$@"
    echo "    ($(( $(date +%s) - t0 )) s)"
}
step "1/13 synth: 10 genres x 100 clips of 4 s of synthetic music in the GTZAN folder layout, and the play counts of 2000 listeners who prefer some genres" \
    synth "$OUT/audio" --genres 10 --per-genre 100 --seconds 4 --listeners 2000 --plays-out "$OUT/plays.csv"
step "2/13 prepare: log-mel spectrograms (Configs/demo.yaml: 64 mels, hop 512) into one HDF5 data set, split 80/10/10" \
    prepare "$OUT/audio" --out "$OUT/demo.h5" --config Configs/demo.yaml
step "3/13 train: the Configs/demo.yaml CNN; checkpoints, metrics.csv and config.yaml in $OUT/run" \
    train --config Configs/demo.yaml --data "$OUT/demo.h5" --run-dir "$OUT/run"
step "4/13 eval: test-split accuracy (patch and track level), per-genre scores, confusion matrix (+ $OUT/report/report.html)" \
    eval --checkpoint "$OUT/run/best.h5" --data "$OUT/demo.h5" --out "$OUT/report"
step "5/13 embed: one vector per track (global pooling layer, mean over the track's patches)" \
    embed --checkpoint "$OUT/run/best.h5" --data "$OUT/demo.h5" --out "$OUT/embeddings.h5"
step "6/13 similar: the 5 tracks closest to one track (cosine similarity of embeddings)" \
    similar --embeddings "$OUT/embeddings.h5" --track blues/blues.00042.wav --k 5
step "7/13 similar --eval: share of each track's 5 nearest neighbours with the same genre (precision@5)" \
    similar --embeddings "$OUT/embeddings.h5" --eval --k 5
step "8/13 predict: genres of an audio file straight from disk" \
    predict --checkpoint "$OUT/run/best.h5" "$OUT/audio/jazz/jazz.00007.wav" "$OUT/audio/metal/metal.00031.wav"
step "9/13 map: a t-SNE map of the 1000 tracks as a self-contained page (open $OUT/map.html in a browser)" \
    map --embeddings "$OUT/embeddings.h5" --method tsne --out "$OUT/map.html"
step "10/13 export: the model as ONNX for onnxruntime (--format safetensors for PyTorch)" \
    export --checkpoint "$OUT/run/best.h5" --format onnx --out "$OUT/model.onnx"
step "11/13 spectrogram: a clip's log-mel spectrogram drawn like librosa.display.specshow ($OUT/jazz.png)" \
    spectrogram "$OUT/audio/jazz/jazz.00007.wav" --kind db-mel --out "$OUT/jazz.png"
step "12/13 factors: implicit-feedback ALS on the listeners' plays, 20% of each listener's tracks held out (mAP@500, AUC)" \
    factors --plays "$OUT/plays.csv" --out "$OUT/factors.h5" --factors 32 --holdout 0.2
step "13/13 recommend: five tracks for one listener, those already played left out" \
    recommend --factors "$OUT/factors.h5" --user listener00007 --top 5 --exclude-played
echo
echo "demo: done in $(( $(date +%s) - START )) s; outputs in $OUT/"
