"""Builds a real-music classification set from Debian game soundtracks: one class per
soundtrack, 30 s excerpts, and a `path,label,group` manifest whose group is the source track,
so that `melcnn cv` never puts two excerpts of one track in different folds.

Install the soundtracks first (about 1.2 GB, all free licences):

    apt-get install supertuxkart-data widelands-data hedgewars-data freedroidrpg-data \
        planetblupi-music-ogg wesnoth-1.16-music

then, with numpy and soundfile (scripts/real_music_requirements.txt) in a virtualenv outside
the repository:

    python scripts/real-music-set.py --out /work/realmusic     # audio/<class>/*.wav + labels.csv
    melcnn prepare /work/realmusic/audio --manifest /work/realmusic/labels.csv \
        --out /work/realmusic/realmusic.h5 --config Configs/gtzan.yaml

Excerpts: a track of D seconds has floor(D / 30) non-overlapping 30 s windows (from 0 s);
each class takes window 1 of every track (tracks in file-name order), then window 2 of every
track that has one, and so on until `--per-class` excerpts, so short soundtracks contribute
every track and long ones are not over-represented. Tracks shorter than 30 s are skipped.
Excerpts are written as 16-bit mono WAV at the source rate (channels averaged). The audio stays
outside the repository: never commit it.
"""
import argparse
import csv
import glob
import os
import sys

import numpy as np
import soundfile as sf

# class -> glob of its soundtrack (Debian bookworm package in the comment)
SOUNDTRACKS = {
    "supertuxkart": "/usr/share/games/supertuxkart/data/music/*.ogg",   # supertuxkart-data
    "widelands": "/usr/share/games/widelands/data/music/*.ogg",         # widelands-data
    "hedgewars": "/usr/share/games/hedgewars/Data/Music/*.ogg",         # hedgewars-data
    "freedroidrpg": "/usr/share/freedroidrpg/data/sound/music/*.ogg",   # freedroidrpg-data
    "planetblupi": "/usr/share/planetblupi/music/*.ogg",                # planetblupi-music-ogg
    "wesnoth": "/usr/share/games/wesnoth/1.16/data/core/music/*.ogg",   # wesnoth-1.16-music
}

# `--set pretrain`: other soundtracks, none of the above, for transfer (`train` on this set,
# then `cv --init` on the set above). apt-get install warzone2100-music supertux-data
# extremetuxracer-data xmoto-data asc-music lincity-ng-data frozen-bubble-data
PRETRAIN_SOUNDTRACKS = {
    "warzone2100": "/usr/share/games/warzone2100/music/**/*.opus",      # warzone2100-music
    "supertux": "/usr/share/games/supertux2/music/**/*.ogg",            # supertux-data
    "extremetuxracer": "/usr/share/games/etr/music/*.ogg",              # extremetuxracer-data
    "xmoto": "/usr/share/games/xmoto/Textures/Musics/*.ogg",            # xmoto-data
    "asc": "/usr/share/games/asc/music/*.mp3",                          # asc-music
    "lincity": "/usr/share/games/lincity-ng/music/default/*.ogg",       # lincity-ng-data
    "frozenbubble": "/usr/share/games/frozen-bubble/snd/*zik*.ogg",     # frozen-bubble-data
}


def excerpts(files, seconds, per_class):
    """[(file, window index)] of one class: window w of every track before window w + 1."""
    windows = {}
    for path in files:
        try:
            info = sf.info(path)
        except RuntimeError as err:
            print(f"real-music-set: skipping {path}: {err}", file=sys.stderr)
            continue
        windows[path] = int(info.frames // (seconds * info.samplerate))
    chosen, w = [], 0
    while len(chosen) < per_class and any(n > w for n in windows.values()):
        chosen += [(p, w) for p in sorted(windows) if windows[p] > w]
        w += 1
    return chosen[:per_class]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output folder (audio/ and labels.csv)")
    ap.add_argument("--per-class", type=int, default=30, help="excerpts per soundtrack (default 30)")
    ap.add_argument("--seconds", type=float, default=30.0, help="excerpt length (default 30)")
    ap.add_argument("--set", choices=["eval", "pretrain"], default="eval",
                    help="eval: the 6 soundtracks to cross-validate on; pretrain: 7 others, for transfer")
    args = ap.parse_args()
    soundtracks = SOUNDTRACKS if args.set == "eval" else PRETRAIN_SOUNDTRACKS
    rows = []
    for label, pattern in soundtracks.items():
        files = sorted(glob.glob(pattern, recursive=True))
        if not files:
            sys.exit(f"real-music-set: no files match {pattern} (is the {label} soundtrack package installed?)")
        os.makedirs(os.path.join(args.out, "audio", label), exist_ok=True)
        picked = excerpts(files, args.seconds, args.per_class)
        for path, w in picked:
            track = os.path.splitext(os.path.basename(path))[0]
            rel = f"{label}/{track}-{w:02d}.wav"
            dest = os.path.join(args.out, "audio", rel)
            if not os.path.exists(dest):
                rate = sf.info(path).samplerate
                n = int(args.seconds * rate)
                y, _ = sf.read(path, start=w * n, frames=n, dtype="float32", always_2d=True)
                sf.write(dest + ".part", y.mean(axis=1), rate, subtype="PCM_16", format="WAV")
                os.replace(dest + ".part", dest)
            rows.append((rel, label, f"{label}/{track}"))
        print(f"{label}: {len(picked)} excerpts from {len({g for _, _, g in rows if g.startswith(label + '/')})} "
              f"tracks", file=sys.stderr)
    manifest = os.path.join(args.out, "labels.csv")
    with open(manifest + ".part", "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["path", "label", "group"])
        out.writerows(rows)
    os.replace(manifest + ".part", manifest)
    print(f"wrote {len(rows)} excerpts of {args.seconds:g} s in {len(soundtracks)} classes -> {manifest}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
