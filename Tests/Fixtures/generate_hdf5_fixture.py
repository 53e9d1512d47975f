"""Writes h5py_sample.h5, the h5py-written file read by Tests/HDF5Tests/H5pyFixtureTests.swift.

Run from the repository root with the pinned venv (see requirements.txt):
    /work/pyenv/bin/python Tests/Fixtures/generate_hdf5_fixture.py
Values are formulas of the index so the Swift test can recompute them.
"""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "h5py_sample.h5")

with h5py.File(OUT, "w", libver="earliest") as f:
    f.attrs["format"] = "h5py-sample"           # str -> variable-length UTF-8
    f.attrs["version"] = 3                       # Python int -> int64 scalar
    f.attrs["rate"] = 0.5                        # Python float -> float64 scalar
    f.attrs["gain"] = np.float32(1.25)           # float32 scalar
    f.attrs["shape_hint"] = np.array([2, 3], dtype=np.int32)
    f.attrs["label"] = np.bytes_(b"fixed")       # fixed-length ASCII string
    f.attrs["names"] = ["alpha", "b\u00e9ta"]    # array of variable-length str

    f.create_dataset("f32", data=(np.arange(12, dtype=np.float32) * 0.5 - 1).reshape(3, 4))
    f.create_dataset("f64", data=np.arange(5, dtype=np.float64) / 3)
    f.create_dataset("i32", data=np.arange(6, dtype=np.int32).reshape(1, 2, 3) - 3)
    f.create_dataset("i64", data=np.arange(4, dtype=np.int64) * (1 << 40))
    f.create_dataset("u8", data=np.arange(10, dtype=np.uint8) * 25)
    f.create_dataset("scalar", data=np.float64(2.5))

    g = f.create_group("nested/deeper")
    g.attrs["note"] = "inside"
    mels = g.create_dataset("mels", data=(np.arange(40 * 8, dtype=np.float32) / 7).reshape(40, 8),
                            chunks=(16, 8), compression="gzip", compression_opts=4, shuffle=True,
                            maxshape=(None, 8))
    mels.attrs["frames"] = np.int32(40)

    f.create_dataset("strings", data=["one", "twö", ""], dtype=h5py.string_dtype())
    f.create_dataset("fixed_strings", data=np.array([b"ab", b"cde"], dtype="S4"))
print("wrote", OUT)
