/// Parameters of the short-time Fourier transform, with librosa 0.11's defaults
/// (`librosa.stft`): `nFFT = 2048`, `winLength = nFFT`, `hopLength = winLength / 4`,
/// periodic Hann window, centred frames with zero padding (`pad_mode="constant"`).
public struct STFTParameters: Equatable, Sendable {
    /// FFT size; the spectrum has `nFFT / 2 + 1` bins.
    public var nFFT: Int
    /// Samples between successive frames.
    public var hopLength: Int
    /// Window length (`<= nFFT`); the window is zero-padded to `nFFT`, centred.
    public var winLength: Int
    /// Analysis (and synthesis) window.
    public var window: WindowKind
    /// Centre frame `t` on sample `t * hopLength` by padding `nFFT / 2` on both sides.
    public var center: Bool
    /// How the signal is padded when `center` is true.
    public var padMode: PadMode

    /// librosa's defaults for anything not given (`hopLength = winLength / 4`).
    public init(nFFT: Int = 2048, hopLength: Int? = nil, winLength: Int? = nil, window: WindowKind = .hann,
                center: Bool = true, padMode: PadMode = .constant) {
        self.nFFT = nFFT
        let win = winLength ?? nFFT
        self.winLength = win
        self.hopLength = hopLength ?? max(win / 4, 0)
        self.window = window
        self.center = center
        self.padMode = padMode
    }

    /// Largest FFT size accepted (2^24), far above any audio use, so that a mistyped
    /// size is an error rather than a multi-gigabyte allocation.
    public static let maximumFFTSize = 1 << 24

    /// Number of frequency bins, `nFFT / 2 + 1`.
    public var bins: Int { nFFT / 2 + 1 }

    /// Throws ``DSPError/invalidParameter(parameter:value:reason:)`` for an FFT size,
    /// hop or window length that is not a positive integer, an FFT above
    /// ``maximumFFTSize``, or a window longer than the FFT.
    public func validate() throws {
        try DSPError.requirePositive(nFFT, "n_fft")
        if nFFT > Self.maximumFFTSize {
            throw DSPError.invalidParameter(parameter: "n_fft", value: "\(nFFT)", reason: "must be at most \(Self.maximumFFTSize)")
        }
        try DSPError.requirePositive(hopLength, "hop_length")
        try DSPError.requirePositive(winLength, "win_length")
        if winLength > nFFT {
            throw DSPError.invalidParameter(parameter: "win_length", value: "\(winLength)",
                                            reason: "must be at most n_fft = \(nFFT)")
        }
    }

    /// Number of frames for a signal of `length` samples (see ``stftFrameCount(length:nFFT:hopLength:center:)``).
    public func frameCount(length: Int) throws -> Int {
        try stftFrameCount(length: length, nFFT: nFFT, hopLength: hopLength, center: center)
    }

    /// The window of `winLength` samples centred in `nFFT` (librosa `get_window` + `pad_center`).
    public func paddedWindow() -> [Float] {
        padCenter(window.values(length: winLength), size: nFFT)
    }
}
