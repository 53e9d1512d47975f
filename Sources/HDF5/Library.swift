import CHDF5

/// Process-wide HDF5 set-up shared by every wrapper call.
enum H5Library {
    /// Switches off HDF5's automatic error printing. The library on Debian is
    /// built thread-safe, where that setting lives in each thread's error stack,
    /// so it is applied before every call (it costs well under a microsecond).
    @inline(__always)
    static func prepare() {
        _ = exitHandlerDisabled
        melcnn_h5_silence_errors()
    }

    /// libhdf5's exit handler (H5close) closes every file still open, and crashes on a
    /// file whose flush or close failed (a full disk); melcnn closes its files itself, so
    /// the handler is switched off before the library's first call (`H5File+Closing`).
    private static let exitHandlerDisabled: Void = { _ = H5dont_atexit() }()

    /// A link-creation property list that creates missing intermediate groups,
    /// so "tracks/path" works before "tracks" exists. Created once, never closed.
    static let linkCreateIntermediate: hid_t = {
        prepare()
        let plist = H5Pcreate(melcnn_h5p_link_create())
        if plist >= 0 {
            _ = H5Pset_create_intermediate_group(plist, 1)
            _ = H5Pset_char_encoding(plist, H5T_CSET_UTF8)
        }
        return plist
    }()
}

extension H5Library {
    /// Number of open HDF5 identifiers of the kinds this module creates (files,
    /// groups, datasets, attributes, dataspaces, datatypes); tests use it to
    /// prove nothing leaks. Predefined datatypes are included, so compare counts.
    static func openIdentifierCount() -> Int {
        prepare()
        var total = 0
        for type in [H5I_FILE, H5I_GROUP, H5I_DATASET, H5I_ATTR, H5I_DATASPACE, H5I_DATATYPE] {
            var count: hsize_t = 0
            if H5Inmembers(type, &count) >= 0 { total += Int(count) }
        }
        return total
    }
}
