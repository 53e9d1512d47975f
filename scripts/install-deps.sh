#!/usr/bin/env bash
# Installs the Debian packages melcnn builds against, only those missing; with package names as
# arguments, those instead (scripts/check-c-kernels.sh: cross compiler, qemu-user).
# Idempotent and quiet when everything is present; uses sudo when not root.
set -euo pipefail
# fb-music-high and frozen-bubble-data: real music for Tests/AudioTests/RealMusicFixtureTests
# (fb-music-high holds one tracker module that neither libsndfile nor soundfile decodes;
# frozen-bubble-data holds 21 OGG/Vorbis files). Open MPI: optional engine of `mpirun -np N melcnn train`
# (loaded at run time, see docs/distributed.md); installed so that the MPI tests run.
packages=(libsndfile1-dev libfftw3-dev libopenblas-dev libhdf5-dev zlib1g-dev libsoxr-dev libpng-dev pkg-config hdf5-tools
          fb-music-high frozen-bubble-data time libopenmpi-dev openmpi-bin)
if [ $# -gt 0 ]; then packages=("$@"); fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    echo "error: missing packages ${missing[*]} and neither root nor sudo is available" >&2; exit 1
fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "installed: ${missing[*]}" >&2
