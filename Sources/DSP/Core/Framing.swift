/// Number of STFT frames for a signal of `length` samples (librosa `stft`):
/// centred, the signal is padded by `nFFT / 2` on both sides first, then
/// `1 + (paddedLength - nFFT) / hop` frames fit (`1 + length / hop` for even nFFT).
/// Uncentred, a signal shorter than `nFFT` has no frame: throws, as librosa does.
public func stftFrameCount(length: Int, nFFT: Int, hopLength: Int, center: Bool) throws -> Int {
    try DSPError.requirePositive(nFFT, "n_fft")
    try DSPError.requirePositive(hopLength, "hop_length")
    let padded = center ? length + 2 * (nFFT / 2) : length
    guard padded >= nFFT else {
        throw DSPError.invalidInput("n_fft=\(nFFT) is too large for uncentered analysis of input signal of length=\(length)")
    }
    return 1 + (padded - nFFT) / hopLength
}

/// Frames of `y` as a `[frames x frameLength]` matrix, frame `t` starting at
/// sample `t * hopLength` (librosa `util.frame`, transposed to melcnn's orientation).
/// Throws if `y` is shorter than one frame.
public func frameSignal(_ y: [Float], frameLength: Int, hopLength: Int) throws -> FeatureMatrix {
    try DSPError.requirePositive(frameLength, "frame_length")
    try DSPError.requirePositive(hopLength, "hop_length")
    guard y.count >= frameLength else {
        throw DSPError.invalidInput("Input is too short (n=\(y.count)) for frame_length=\(frameLength)")
    }
    let frames = 1 + (y.count - frameLength) / hopLength
    var out = [Float](repeating: 0, count: frames * frameLength)
    y.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for t in 0 ..< frames {
                (dst.baseAddress! + t * frameLength).update(from: src.baseAddress! + t * hopLength, count: frameLength)
            }
        }
    }
    return FeatureMatrix(frames: frames, bins: frameLength, data: out)
}
