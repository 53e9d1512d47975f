import CCPU
import CSTFT
import XCTest

/// Runs `body` once per CPU route of the C kernels this machine (and `MELCNN_CPU`) allows, from
/// `lowest` up (`MELCNN_ISA_GENERIC` = 0, AVX2 = 1, AVX-512 = 2), with `melcnn_isa_override`
/// capping the level meanwhile; the level is restored afterwards.
func forEachCPURoute(from lowest: Int32 = 0, _ body: (_ route: String) throws -> Void) rethrows {
    melcnn_isa_override(-1)
    defer { melcnn_isa_override(-1) }
    let best = melcnn_isa_level()
    guard lowest <= best else { return }
    for level in lowest ... best {
        melcnn_isa_override(level)
        try body("\(String(cString: melcnn_isa_name(level))) (\(String(cString: melcnn_stft_kernel())))")
    }
}
