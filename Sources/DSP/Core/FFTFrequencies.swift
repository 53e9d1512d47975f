/// Centre frequency (Hz) of each of the `nFFT / 2 + 1` FFT bins, `k * sampleRate / nFFT`
/// (librosa `fft_frequencies`; computed as numpy `rfftfreq` does, `k * (1 / (nFFT / sampleRate))`,
/// so the values are bit-identical to librosa's).
public func fftFrequencies(sampleRate: Double, nFFT: Int) -> [Double] {
    let step = 1.0 / (Double(nFFT) * (1.0 / sampleRate))
    return (0 ..< (nFFT / 2 + 1)).map { Double($0) * step }
}
