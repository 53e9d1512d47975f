"""Joins melcnn's and a peer's benchmark JSON lines by name and prints a ratio table.

usage: report.py MELCNN.jsonl PEER.jsonl [--peer-name librosa]
Each line is {"name": str, "ms": float, ...}. Ratio = peer ms / melcnn ms (>1: melcnn faster).
Extra numeric fields on melcnn's lines (gflops, rss_mb, ...) are printed after the table.
The `route` column is the kernels melcnn ran (its lines' `route` label: CPU level, SGEMM and
log-mel spectrum kernels); the peer's CPU settings are printed by Benchmarks/run.sh.
"""
import json
import sys


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                row = json.loads(line)
                rows[row["name"]] = row
    return rows


def main():
    args = sys.argv[1:]
    peer_name = "peer"
    if "--peer-name" in args:
        i = args.index("--peer-name")
        peer_name = args[i + 1]
        del args[i:i + 2]
    ours, peer = load(args[0]), load(args[1])
    print(f"{'benchmark':<34} {'melcnn ms':>11} {peer_name + ' ms':>12} {'ratio':>7}  route")
    for name, row in ours.items():
        p = peer.get(name)
        route = row.get("route", "-")
        if p is None or row["ms"] <= 0:
            print(f"{name:<34} {row['ms']:>11.2f} {'-':>12} {'-':>7}  {route}")
        else:
            print(f"{name:<34} {row['ms']:>11.2f} {p['ms']:>12.2f} {p['ms'] / row['ms']:>6.2f}x  {route}")
    for name, row in ours.items():
        extra = {k: v for k, v in row.items() if k not in ("name", "ms", "route")}
        peer_extra = {k: v for k, v in peer.get(name, {}).items() if k not in ("name", "ms")}
        if extra or peer_extra:
            print(f"  {name}: melcnn {extra}  {peer_name} {peer_extra}")


if __name__ == "__main__":
    main()
