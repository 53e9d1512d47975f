import CHDF5

extension H5Group {
    /// Creates an empty (zero-filled) numeric dataset of `shape` (`[]` makes a
    /// scalar); missing intermediate groups in `path` are created.
    ///
    /// ```swift
    /// // extendable [0, 128] float32 array, gzip+shuffle, grown with append
    /// let mels = try file.createDataset("mels", of: Float.self, shape: [0, 128],
    ///                                   options: .compressed(extendable: true))
    /// try mels.append(frames)   // frames.count a multiple of 128
    /// ```
    @discardableResult
    public func createDataset<T: H5Scalar>(
        _ path: String, of type: T.Type, shape: [Int], options: H5DatasetOptions = .contiguous
    ) throws -> H5Dataset {
        let ctx = context.child(path)
        let fileType = try T.nativeType(ctx)
        return try createDataset(path, fileType: fileType, elementSize: MemoryLayout<T>.size,
                                 shape: shape, options: options)
    }

    /// Creates a numeric dataset holding `values` (flat row-major). `shape`
    /// defaults to `[values.count]`; its product must equal `values.count`.
    @discardableResult
    public func createDataset<T: H5Scalar>(
        _ path: String, values: [T], shape: [Int]? = nil, options: H5DatasetOptions = .contiguous
    ) throws -> H5Dataset {
        let shape = shape ?? [values.count]
        guard shape.reduce(1, *) == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw context.child(path).shape("\(values.count) values do not fill shape \(shape)")
        }
        let dataset = try createDataset(path, of: T.self, shape: shape, options: options)
        try dataset.write(values)
        return dataset
    }

    /// Opens an existing dataset; `objectNotFound` when missing, `typeMismatch`
    /// when `path` is a group.
    ///
    /// `chunkCacheBytes` sizes this dataset's cache of decompressed chunks
    /// (HDF5's default is 1 MiB): make it as large as the dataset when
    /// reading random row ranges of a compressed dataset many times.
    public func openDataset(_ path: String, chunkCacheBytes: Int? = nil) throws -> H5Dataset {
        let ctx = context.child(path)
        try requireKind(.dataset, at: path)
        let loc = try id()
        let access = try ctx.id("H5Pcreate") { H5Pcreate(melcnn_h5p_dataset_access()) }
        defer { H5Pclose(access) }
        if let bytes = chunkCacheBytes {
            guard bytes >= 0 else { throw ctx.invalid("negative chunk cache size \(bytes)") }
            // 12421 hash slots (a prime, as HDF5 recommends); w0 0.75 is HDF5's default.
            try ctx.check("H5Pset_chunk_cache") { H5Pset_chunk_cache(access, 12421, bytes, 0.75) }
        }
        let did = try ctx.id("H5Dopen2") { H5Dopen2(loc, path, access) }
        return H5Dataset(id: did, filePath: filePath, path: ctx.object)
    }

    /// Creates a dataset with file type `fileType` (not closed here).
    func createDataset(
        _ path: String, fileType: hid_t, elementSize: Int, shape: [Int], options: H5DatasetOptions
    ) throws -> H5Dataset {
        let loc = try id()
        let ctx = context.child(path)
        guard shape.allSatisfy({ $0 >= 0 }) else { throw ctx.invalid("negative dimension in shape \(shape)") }
        if try exists(path) { throw ctx.invalid("already exists") }
        let plist = try ctx.id("H5Pcreate") { H5Pcreate(melcnn_h5p_dataset_create()) }
        defer { H5Pclose(plist) }
        if options.isChunked {
            if shape.isEmpty { throw ctx.invalid("a scalar dataset cannot be chunked, compressed or extendable") }
            let chunks = options.chunkShape(for: shape, elementSize: elementSize)
            guard chunks.count == shape.count, chunks.allSatisfy({ $0 > 0 }) else {
                throw ctx.invalid("chunk shape \(chunks) does not fit shape \(shape)")
            }
            var dims = chunks.map { hsize_t($0) }
            try ctx.check("H5Pset_chunk") { H5Pset_chunk(plist, Int32(dims.count), &dims) }
            if options.shuffle { try ctx.check("H5Pset_shuffle") { H5Pset_shuffle(plist) } }
            if let level = options.gzipLevel {
                guard (0...9).contains(level) else { throw ctx.invalid("gzip level \(level) not in 0...9") }
                try ctx.check("H5Pset_deflate") { H5Pset_deflate(plist, UInt32(level)) }
            }
            if options.fletcher32 { try ctx.check("H5Pset_fletcher32") { H5Pset_fletcher32(plist) } }
        }
        let space = try H5Dataspace.create(shape, extendable: options.extendable, ctx)
        defer { H5Sclose(space) }
        let did = try ctx.id("H5Dcreate2") {
            H5Dcreate2(loc, path, fileType, space, H5Library.linkCreateIntermediate, plist, melcnn_h5p_default())
        }
        return H5Dataset(id: did, filePath: filePath, path: ctx.object)
    }
}
