/// A 2-D feature matrix in the DSP module's one orientation: **`[frames x bins]`**,
/// row-major, so frame `t` is the contiguous run `data[t*bins ..< (t+1)*bins]`.
///
/// librosa returns `[bins x frames]`; melcnn's matrices are its transpose
/// (`librosa_output.T`), which is the layout of `/mels` in `dataset.h5` and of
/// a network input patch. "bins" means frequency bins, mel bands, MFCC
/// coefficients or chroma classes depending on the feature.
public struct FeatureMatrix: Equatable, Sendable {
    /// Number of time frames (rows).
    public var frames: Int
    /// Number of feature bins per frame (columns).
    public var bins: Int
    /// Row-major storage, `frames * bins` values.
    public var data: [Float]

    /// Wraps `data` (row-major, `frames * bins` values).
    public init(frames: Int, bins: Int, data: [Float]) {
        precondition(frames >= 0 && bins >= 0 && data.count == frames * bins,
                     "FeatureMatrix: \(data.count) values for \(frames) x \(bins)")
        self.frames = frames
        self.bins = bins
        self.data = data
    }

    /// A `frames x bins` matrix filled with `value`.
    public init(frames: Int, bins: Int, repeating value: Float = 0) {
        self.init(frames: frames, bins: bins, data: [Float](repeating: value, count: frames * bins))
    }

    /// The value at time `frame`, feature `bin`.
    @inlinable
    public subscript(frame: Int, bin: Int) -> Float {
        get { data[frame * bins + bin] }
        set { data[frame * bins + bin] = newValue }
    }

    /// Frame `t` as a slice of `bins` values.
    public func frame(_ t: Int) -> ArraySlice<Float> {
        data[(t * bins) ..< ((t + 1) * bins)]
    }

    /// The `[bins x frames]` transpose, as a new matrix whose "frames" are the bins
    /// (librosa's orientation, for writing files that match librosa's arrays).
    public func transposed() -> FeatureMatrix {
        var out = [Float](repeating: 0, count: data.count)
        data.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for t in 0 ..< frames {
                    for b in 0 ..< bins { dst[b * frames + t] = src[t * bins + b] }
                }
            }
        }
        return FeatureMatrix(frames: bins, bins: frames, data: out)
    }
}
