import CCPU
#if canImport(Glibc)
import Glibc
#endif

/// The instruction-set level melcnn's C kernels run at (SGEMM, log-mel, chunk encoder): the
/// best the CPU has, lowered by the environment variable `MELCNN_CPU` (`generic`, `avx2`,
/// `avx512`); `MELCNN_CPU=generic` forces every portable route (OpenBLAS, FFTW, plain loops).
public enum CPULevel {
    /// The level in use, e.g. `"avx512"`.
    public static var name: String { String(cString: melcnn_isa_name(melcnn_isa_level())) }

    /// The best level this CPU has, whatever `MELCNN_CPU` says.
    public static var detected: String { String(cString: melcnn_isa_name(melcnn_isa_detected())) }

    /// A one-line complaint when `MELCNN_CPU` is set to something that names no level, else nil.
    public static var environmentProblem: String? {
        guard let value = getenv("MELCNN_CPU").map({ String(cString: $0) }),
              !value.isEmpty, melcnn_isa_parse(value) < 0 else { return nil }
        return "MELCNN_CPU=\(value) names no CPU level (use generic, avx2 or avx512)"
    }
}
