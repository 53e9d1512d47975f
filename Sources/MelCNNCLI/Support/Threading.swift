import Foundation
import MelCNN
import Tensor

/// Sets the compute threads for a command (`0` = all cores), through the Tensor module.
/// A negative count is a user error naming `--threads`.
func setThreads(_ n: Int) throws {
    guard n >= 0 else { throw MelCNNError.invalidArgument("--threads must be >= 0 (0 = all cores), got \(n)") }
    Threads.setCount(n > 0 ? n : ProcessInfo.processInfo.activeProcessorCount)
}
