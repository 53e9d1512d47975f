// Every HDF5 file is written through FileOutput's `atomicWrite` (`H5File.createAtomically`).
// The re-export keeps `import HDF5` giving `atomicWrite` to the files that still rely on it
// (Data/DatasetPreparer.swift, Features/FeatureTable.swift, being rewritten elsewhere);
// once they `import FileOutput` themselves, this line goes.
@_exported import FileOutput
