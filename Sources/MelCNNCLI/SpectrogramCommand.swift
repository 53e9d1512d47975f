import ArgumentParser
import Audio
import DSP
import FileOutput
import Foundation
import MelCNN

struct SpectrogramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectrogram",
        abstract: "Compute an STFT, mel, log-mel, MFCC, CQT, chroma or tonnetz matrix of an audio file (librosa parity).",
        discussion: """
        Loads FILE like librosa.load (mono, resampled to --sr), computes the --kind \
        matrix with librosa 0.11's conventions and writes it, one row per frame \
        ([frames x bins], the transpose of librosa's array):
          melcnn spectrogram song.wav --kind db-mel --out song.h5
          melcnn spectrogram song.mp3 --kind mfcc --n-mfcc 13 --out song.csv
          melcnn spectrogram song.flac --kind mel --n-fft 1024 --hop 256 --n-mels 64 --fmax 8000 --out mel.h5
          melcnn spectrogram song.wav --kind cqt --n-bins 72 --bins-per-octave 24 --tuning estimate --out cqt.h5
          melcnn spectrogram song.wav --kind tonnetz --out tonnetz.csv
          melcnn spectrogram song.ogg --kind db-mel --out song.png
          melcnn spectrogram song.ogg --kind cqt --out cqt.svg --colormap viridis
        .h5 output: dataset /data float32 [frames, bins] with the parameters as attributes \
        (kind, source, sample_rate, n_fft, hop_length, ...); h5py: f["data"][:].T equals \
        librosa's result. .csv output: one line per frame, comma-separated, no header. \
        .png/.svg output: a picture like librosa.display.specshow with a colour bar (time in \
        seconds; Hz, mel, note or pitch-class axis; magnitudes and powers in dB re their maximum). \
        Kinds: \(SpectrogramKind.all.map { "\($0.name): \($0.help)" }.joined(separator: "; ")).
        """
    )

    @Argument(help: "Audio file (WAV, AIFF, FLAC, OGG, Opus, MP3).")
    var file: String
    @Option(name: .long, parsing: .unconditional, help: "What to compute: \(SpectrogramKind.all.map(\.name).joined(separator: ", ")).")
    var kind: SpectrogramKind
    @Option(name: .long, parsing: .unconditional, help: "Output file: .h5 or .csv (the matrix), .png or .svg (a picture).")
    var out: String
    @Option(name: .long, parsing: .unconditional, help: "Colour map of a .png/.svg picture: magma, viridis or coolwarm (default: librosa's choice, coolwarm for data of both signs, else magma).")
    var colormap: ColourMap?
    @Option(name: .long, parsing: .unconditional, help: "Sample rate to load at, Hz.")
    var sr: Int = 22050
    @Option(name: .customLong("n-fft"), parsing: .unconditional, help: "FFT size (window length).")
    var nFFT: Int = 2048
    @Option(name: .long, parsing: .unconditional, help: "Hop length in samples (default: n-fft / 4).")
    var hop: Int?
    @Option(name: .long, parsing: .unconditional, help: "Padding of the centred frames: constant (zeros, librosa's default) or reflect.")
    var padMode: PadMode = .constant
    @Option(name: .customLong("n-mels"), parsing: .unconditional, help: "Number of mel bands (mel, db-mel, mfcc).")
    var nMels: Int = 128
    @Option(name: .long, parsing: .unconditional, help: "Lowest frequency, Hz: the lowest mel band edge (mel kinds, default 0) or the lowest CQT bin before tuning (cqt kinds, default C1 = 32.70 Hz).")
    var fmin: Double?
    @Option(name: .long, parsing: .unconditional, help: "Highest mel band edge, Hz (default: sr / 2).")
    var fmax: Double?
    @Flag(name: .long, help: "Use the HTK mel formula instead of Slaney's.")
    var htk = false
    @Option(name: .customLong("n-mfcc"), parsing: .unconditional, help: "Number of MFCCs (mfcc).")
    var nMFCC: Int = 20
    @Option(name: .customLong("top-db"), parsing: .unconditional, help: "Clip dB values below max - top-db (db-mel, mfcc); a negative value disables the clip.")
    var topDB: Float = 80
    @Option(name: .customLong("n-bins"), parsing: .unconditional, help: "Number of CQT bins (cqt).")
    var nBins: Int = 84
    @Option(name: .customLong("bins-per-octave"), parsing: .unconditional, help: "CQT bins per octave (default 12 for cqt, 36 for chroma-cqt and tonnetz).")
    var binsPerOctave: Int?
    @Option(name: .customLong("n-octaves"), parsing: .unconditional, help: "Octaves of the CQT under chroma-cqt and tonnetz.")
    var nOctaves: Int = 7
    @Option(name: .long, parsing: .unconditional, help: "Tuning offset in fractions of a CQT bin, or 'estimate' (default 0 for cqt, estimate for chroma-cqt and tonnetz).")
    var tuning: CQTSettings.Tuning?

    /// librosa parameter names (in DSPError) -> this command's flags.
    static let flags = ["sr": "--sr", "n_fft": "--n-fft", "win_length": "--n-fft", "hop_length": "--hop",
                        "n_mels": "--n-mels", "fmin": "--fmin", "fmax": "--fmax", "n_mfcc": "--n-mfcc",
                        "top_db": "--top-db", "n_bins": "--n-bins", "bins_per_octave": "--bins-per-octave",
                        "n_octaves": "--n-octaves", "tuning": "--tuning"]

    func run() throws {
        let pad = padMode
        guard AudioFile.sampleRateRange.contains(sr) else {
            throw CLIError("--sr \(sr): must be \(AudioFile.sampleRateRange.lowerBound) ... \(AudioFile.sampleRateRange.upperBound) Hz")
        }
        if hop == nil, (1 ..< 4).contains(nFFT) {
            throw CLIError("--n-fft \(nFFT): must be at least 4 unless --hop is given (the default hop is n-fft / 4)")
        }
        let ext = (out as NSString).pathExtension.lowercased()
        let picture = ["png", "svg"].contains(ext)
        guard FeatureMatrixWriter.extensions.contains(ext) || picture else {
            throw CLIError("--out \(out): the output must end in .h5, .csv, .png or .svg")
        }
        if colormap != nil && !picture {
            throw CLIError("--colormap: applies to .png and .svg output only")
        }
        if isSameFile(file, out) {
            throw CLIError("--out \(out): is the input file; choose another output")
        }
        var logMel = LogMelParameters()
        (logMel.sampleRate, logMel.nFFT, logMel.hopLength, logMel.padMode) = (sr, nFFT, hop ?? max(nFFT / 4, 0), pad)
        (logMel.nMels, logMel.fmin, logMel.fmax, logMel.htk) = (nMels, fmin ?? 0, fmax, htk)
        logMel.topDB = topDB < 0 ? nil : topDB
        let settings = SpectrogramSettings(
            logMel: logMel, nMFCC: nMFCC,
            cqt: CQTSettings(fmin: fmin, nBins: nBins, binsPerOctave: binsPerOctave, nOctaves: nOctaves,
                             tuning: tuning))
        do {
            // Validate before decoding, so a bad flag fails fast.
            try settings.stft.validate()
            if kind.uses.contains(.mel) { try settings.mel.validate() }
            if kind.uses.contains(.cqt) { try kind.validateCQT(settings) }
            if kind.uses.contains(.mfcc) && (nMFCC < 1 || nMFCC > nMels) {
                throw DSPError.invalidParameter(parameter: "n_mfcc", value: "\(nMFCC)", reason: "must be between 1 and n_mels = \(nMels)")
            }
            for warning in kind.warnings(settings) {
                FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
            }
            let matrix = try kind.compute(file: file, settings)
            if picture {
                let drawing = SpectrogramPicture(matrix: matrix, display: kind.display, settings: settings,
                                                 title: "\(kind.name): \((file as NSString).lastPathComponent)", colourMap: colormap)
                if ext == "png" { try atomicWrite(to: out, bytes: try drawing.png()) }
                else { try atomicWrite(to: out, text: try drawing.svg()) }
            } else {
                try FeatureMatrixWriter.write(matrix, to: out, attributes: attributes(kind, settings, frames: matrix.frames))
            }
            FileHandle.standardError.write(Data("\(kind.name): \(matrix.frames) frames x \(matrix.bins) bins -> \(out)\n".utf8))
        } catch let error as DSPError {
            let flag = error.parameter.flatMap { Self.flags[$0] }
            throw CLIError(flag.map { "\($0): \(error)" } ?? "\(file): \(error)")
        }
    }

    /// The parameters the output was computed with, by librosa's names.
    func attributes(_ kind: SpectrogramKind, _ s: SpectrogramSettings, frames: Int) -> [(String, FeatureMatrixWriter.Attribute)] {
        var a: [(String, FeatureMatrixWriter.Attribute)] = [
            ("kind", .string(kind.name)), ("source", .string(file)), ("orientation", .string("frames x bins")),
            ("sample_rate", .int(s.sampleRate)), ("hop_length", .int(s.stft.hopLength)),
            ("center", .int(s.stft.center ? 1 : 0)), ("pad_mode", .string(s.stft.padMode.rawValue)),
        ]
        if kind.uses.contains(.stft) {
            a += [("n_fft", .int(s.stft.nFFT)), ("win_length", .int(s.stft.winLength)), ("window", .string(s.stft.window.rawValue))]
        }
        if kind.uses.contains(.cqt) { a += kind.cqtAttributes(s) }
        if kind.uses.contains(.mel) {
            a += [("n_mels", .int(s.mel.nMels)), ("fmin", .double(s.mel.fmin)), ("fmax", .double(s.mel.resolvedFmax)),
                  ("htk", .int(s.mel.scale == .htk ? 1 : 0)), ("norm", .string(s.mel.norm.rawValue)), ("power", .double(2))]
        }
        if kind.uses.contains(.decibels) {
            a += [("ref", .double(1)), ("amin", .double(1e-10)), ("top_db", s.topDB.map { .double(Double($0)) } ?? .string("none"))]
        }
        if kind.uses.contains(.mfcc) { a += [("n_mfcc", .int(s.nMFCC)), ("dct_type", .int(2)), ("dct_norm", .string("ortho"))] }
        return a
    }
}

/// `--kind stft|mel|db-mel|...` (`SpectrogramKind.all`).
extension SpectrogramKind: ExpressibleByArgument {
    public init?(argument: String) {
        guard let kind = SpectrogramKind.named(argument) else { return nil }
        self = kind
    }

    public var defaultValueDescription: String { name }
    public static var allValueStrings: [String] { all.map(\.name) }
}

/// `--colormap magma|viridis|coolwarm`.
extension ColourMap: ExpressibleByArgument {}

/// `--tuning VALUE|estimate`.
extension CQTSettings.Tuning: ExpressibleByArgument {
    public init?(argument: String) {
        if argument == "estimate" { self = .estimate; return }
        guard let value = Double(argument), value.isFinite else { return nil }
        self = .bins(value)
    }
}
