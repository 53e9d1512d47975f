#!/usr/bin/env bash
# Peak RSS (GNU time's "Maximum resident set size") of the long-audio commands, for
# docs/memory.md. Usage: scripts/memory-table.sh MELCNN WORKDIR [MINUTES...]
# WORKDIR needs run/best.h5 (a tiny Configs/demo.yaml checkpoint; see docs/memory.md).
# Synthetic WAVs (44100 Hz stereo 16-bit, scripts/long_wav.py) are made in WORKDIR if missing.
# Set SKIP_WHOLE="30 120" to skip the whole-file `features` run for those lengths.
# Set BEFORE=/path/to/older/melcnn to also run whole-file `features` with that binary and
# compare the two CSVs byte for byte (the streamed row must equal the in-memory one);
# SKIP_BEFORE="120" skips the older binary for those lengths. REPEAT=N repeats the whole-file
# runs N times (timing ranges on a shared machine).
set -uo pipefail
BIN=$1; WORK=$2; shift 2
MINUTES=${*:-10 30 120}
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$WORK"
peak() {  # peak() LABEL COMMAND...: prints "LABEL  <MB> MB  <s> s  rc"
    local label=$1; shift
    /usr/bin/time -v "$@" >/dev/null 2>time.log
    local rc=$?
    local kb=$(grep "Maximum resident set size" time.log | awk '{print $NF}')
    local wall=$(grep "Elapsed (wall clock)" time.log | awk '{print $NF}')
    printf "%-28s %6d MB  %10s  rc %d\n" "$label" $((kb / 1024)) "$wall" $rc
}
for m in $MINUTES; do
    wav=long-$m.wav
    [ -f "$wav" ] || python3 "$HERE/long_wav.py" "$wav" "$m"
    # prepare: the long file plus short clips in two classes (hard link: same file, no copy).
    rm -rf "prep-$m"; mkdir -p "prep-$m/a" "prep-$m/b"
    ln "$wav" "prep-$m/a/long.wav"
    for i in 1 2 3 4; do cp audio/*/*.0000$i.wav "prep-$m/b/" 2>/dev/null; done
    for f in audio/*/*.00005.wav audio/*/*.00006.wav; do cp "$f" "prep-$m/a/"; done
    echo "== $m min ($wav)"
    peak "features --segment 30" "$BIN" features "$wav" --segment 30 --jobs 1 --out f30.csv
    for r in $(seq "${REPEAT:-1}"); do
        case " ${SKIP_WHOLE:-} " in *" $m "*) echo "features (whole file)        skipped";;
            *) peak "features (whole file)" "$BIN" features "$wav" --jobs 1 --out f.csv;; esac
        if [ -n "${BEFORE:-}" ]; then
            case " ${SKIP_BEFORE:-} " in *" $m "*) echo "features (whole, before)     skipped";;
                *) peak "features (whole, before)" "$BEFORE" features "$wav" --jobs 1 --out f-before.csv
                   if cmp -s f.csv f-before.csv; then echo "  CSVs identical"; else echo "  CSVs DIFFER"; fi;; esac
        fi
    done
    peak "predict" "$BIN" predict --checkpoint run/best.h5 --threads 1 "$wav"
    peak "spectrogram --kind db-mel" "$BIN" spectrogram "$wav" --kind db-mel --out mel.h5
    peak "prepare (demo.yaml)" "$BIN" prepare "prep-$m" --config "$HERE/../Configs/demo.yaml" --jobs 1 --out prep.h5
    rm -rf "prep-$m" mel.h5 prep.h5
done
