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
# then pictures and recommendations from synthetic listening data, multi-label tagging, and
# cold start (a CNN that predicts listening-data factors from audio).
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
step "1/20 synth: 10 genres x 100 clips of 4 s of synthetic music in the GTZAN folder layout, and the play counts of 2000 listeners who prefer some genres" \
    synth "$OUT/audio" --genres 10 --per-genre 100 --seconds 4 --listeners 2000 --plays-out "$OUT/plays.csv"
step "2/20 prepare: log-mel spectrograms (Configs/demo.yaml: 64 mels, hop 512) into one HDF5 data set, split 80/10/10" \
    prepare "$OUT/audio" --out "$OUT/demo.h5" --config Configs/demo.yaml
step "3/20 train: the Configs/demo.yaml CNN; checkpoints, metrics.csv and config.yaml in $OUT/run" \
    train --config Configs/demo.yaml --data "$OUT/demo.h5" --run-dir "$OUT/run"
step "4/20 eval: test-split accuracy (patch and track level), per-genre scores, confusion matrix (+ $OUT/report/report.html)" \
    eval --checkpoint "$OUT/run/best.h5" --data "$OUT/demo.h5" --out "$OUT/report"
step "5/20 embed: one vector per track (global pooling layer, mean over the track's patches)" \
    embed --checkpoint "$OUT/run/best.h5" --data "$OUT/demo.h5" --out "$OUT/embeddings.h5"
step "6/20 similar: the 5 tracks closest to one track (cosine similarity of embeddings)" \
    similar --embeddings "$OUT/embeddings.h5" --track blues/blues.00042.wav --k 5
step "7/20 similar --eval: share of each track's 5 nearest neighbours with the same genre (precision@5)" \
    similar --embeddings "$OUT/embeddings.h5" --eval --k 5
step "8/20 predict: genres of an audio file straight from disk" \
    predict --checkpoint "$OUT/run/best.h5" "$OUT/audio/jazz/jazz.00007.wav" "$OUT/audio/metal/metal.00031.wav"
step "9/20 map: a t-SNE map of the 1000 tracks as a self-contained page (open $OUT/map.html in a browser)" \
    map --embeddings "$OUT/embeddings.h5" --method tsne --out "$OUT/map.html"
step "10/20 export: the model as ONNX for onnxruntime (--format safetensors for PyTorch)" \
    export --checkpoint "$OUT/run/best.h5" --format onnx --out "$OUT/model.onnx"
step "11/20 spectrogram: a clip's log-mel spectrogram drawn like librosa.display.specshow ($OUT/jazz.png)" \
    spectrogram "$OUT/audio/jazz/jazz.00007.wav" --kind db-mel --out "$OUT/jazz.png"
step "12/20 factors: implicit-feedback ALS on the listeners' plays, 20% of each listener's tracks held out (mAP@500, AUC)" \
    factors --plays "$OUT/plays.csv" --out "$OUT/factors.h5" --factors 32 --holdout 0.2
step "13/20 recommend: five tracks for one listener, those already played left out" \
    recommend --factors "$OUT/factors.h5" --user listener00007 --top 5 --exclude-played
step "14/20 synth --tags: 200 multi-label clips of 6 s (instrument, tempo and mood tags, several per clip) and their manifest" \
    synth "$OUT/tagged" --tags --clips 200 --seconds 6
step "15/20 prepare --manifest: a tagged data set (a tags column: one sigmoid per tag), split 70/15/15" \
    prepare "$OUT/tagged" --manifest "$OUT/tagged/tags.csv" --out "$OUT/tags.h5" --config Configs/demo.yaml --split 0.7,0.15,0.15
step "16/20 train: the same CNN with binary cross-entropy per tag; best.h5 by validation macro ROC-AUC" \
    train --config Configs/demo.yaml --data "$OUT/tags.h5" --run-dir "$OUT/run-tags"
step "17/20 eval: per-tag ROC-AUC and PR-AUC, macro and micro averages, P/R/F1 at 0.5" \
    eval --checkpoint "$OUT/run-tags/best.h5" --data "$OUT/tags.h5"
step "18/20 prepare --targets: the clips with their ALS track factors as regression targets (cold start)" \
    prepare "$OUT/audio" --targets "$OUT/factors.h5" --out "$OUT/coldstart.h5" --config Configs/demo.yaml
step "19/20 train: the CNN regresses the factors from audio (MSE on standardised factors)" \
    train --config Configs/demo.yaml --data "$OUT/coldstart.h5" --run-dir "$OUT/run-factors"
step "20/20 eval --factors: held-out plays of the test tracks ranked by ALS factors, factors predicted from audio, popularity, random" \
    eval --checkpoint "$OUT/run-factors/best.h5" --data "$OUT/coldstart.h5" --factors "$OUT/factors.h5"
echo
echo "demo: done in $(( $(date +%s) - START )) s; outputs in $OUT/"
