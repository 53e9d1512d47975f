import Foundation
import Tensor

/// Sets the compute threads for a command (`0` = all cores), through the Tensor module.
func setThreads(_ n: Int) {
    Threads.setCount(n > 0 ? n : ProcessInfo.processInfo.activeProcessorCount)
}
