import CMPI
import Foundation

/// The processes of an `mpirun` job (MPI_COMM_WORLD), through Open MPI loaded at run time
/// (`Sources/CMPI`: dlopen of libmpi.so.40, so melcnn builds and runs without Open MPI).
///
/// Every collective call (and every wait for a nonblocking one) runs under a watchdog: when one does not complete within
/// `timeout` seconds (a rank died, hangs, or the network is gone), this process prints one
/// error line naming the collective and exits with status 1, and mpirun then ends the job.
/// All calls come from one thread (MPI_THREAD_FUNNELED).
public final class MPIWorld: @unchecked Sendable {
    /// This process's rank, `0 ..< size`.
    public let rank: Int
    /// The number of processes.
    public let size: Int
    /// Seconds a collective may block before the watchdog ends the process (0: no limit).
    public let timeout: Double
    /// Processes of this job on this machine (Open MPI's `OMPI_COMM_WORLD_LOCAL_SIZE`, else 1).
    public let localSize: Int

    /// True when this process was started by Open MPI's mpirun (`OMPI_COMM_WORLD_SIZE` set) or
    /// by a PMIx launcher such as `srun --mpi=pmix` (`PMIX_RANK` set).
    public static var isLaunchedByMPI: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMIX_RANK"] != nil
    }

    /// Loads Open MPI, calls MPI_Init_thread and starts the watchdog. Throws one line when the
    /// library cannot be loaded or initialised.
    public init(timeout: Double) throws {
        precondition(timeout >= 0, "MPIWorld: negative timeout")
        var error = [CChar](repeating: 0, count: 1024)
        var rank: Int32 = 0, size: Int32 = 0
        guard melcnn_mpi_init(&rank, &size, &error, error.count) == 0 else {
            throw MelCNNError.invalidArgument("MPI: " + Self.text(error))
        }
        self.rank = Int(rank)
        self.size = Int(size)
        self.timeout = timeout
        localSize = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init).map { max(1, $0) } ?? 1
        guard melcnn_mpi_watchdog_start(timeout) == 0 else {
            throw MelCNNError.invalidArgument("MPI: cannot start the collective watchdog thread")
        }
    }

    /// The NUL-terminated message a CMPI call wrote.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs a collective under the watchdog; `what` names it in the timeout message.
    private func collective(_ what: String, _ body: (inout [CChar]) -> Int32) throws {
        var error = [CChar](repeating: 0, count: 1024)
        melcnn_mpi_watchdog_begin("rank \(rank) of \(size): \(what)")
        let status = body(&error)
        melcnn_mpi_watchdog_end()
        guard status == 0 else { throw MelCNNError.invalidArgument("MPI, rank \(rank): " + Self.text(error)) }
    }

    /// In-place sum over all ranks of `values` (MPI_Allreduce, MPI_SUM, float32).
    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>, what: String) throws {
        var done = 0
        while done < values.count {   // MPI counts are 32-bit
            let n = min(values.count - done, Int(Int32.max))
            try collective(what) { melcnn_mpi_allreduce_sum_float(values.baseAddress! + done, Int32(n), &$0, $0.count) }
            done += n
        }
    }

    /// In-place sum over all ranks of `values` (float64: counters and loss sums).
    public func allreduceSum(_ values: inout [Double], what: String) throws {
        try values.withUnsafeMutableBufferPointer { p in
            try collective(what) { melcnn_mpi_allreduce_sum_double(p.baseAddress!, Int32(p.count), &$0, $0.count) }
        }
    }

    /// Starts a nonblocking in-place sum over all ranks of `values` (MPI_Iallreduce) and appends
    /// its request to `requests`. `values` must stay untouched until `waitAll` (or a `testAll`
    /// that returned true) completed it; every rank must start the same sums in the same order.
    func startAllreduceSum(_ values: UnsafeMutableBufferPointer<Float>, requests: inout [melcnn_mpi_request?],
                                  what: String) throws {
        guard values.count <= Int(Int32.max) else {
            throw MelCNNError.invalidArgument("MPI, rank \(rank): \(what): \(values.count) values exceed one MPI message")
        }
        var request: melcnn_mpi_request? = nil
        try collective(what) { melcnn_mpi_iallreduce_sum_float(values.baseAddress!, Int32(values.count), &request, &$0, $0.count) }
        requests.append(request)
    }

    /// MPI_Testall: true (and `requests` emptied) when every request has completed; each call
    /// also lets Open MPI move the transfers on.
    func testAll(_ requests: inout [melcnn_mpi_request?], what: String) throws -> Bool {
        guard !requests.isEmpty else { return true }
        var done: Int32 = 0
        try requests.withUnsafeMutableBufferPointer { r in
            try collective(what) { melcnn_mpi_testall(Int32(r.count), r.baseAddress!, &done, &$0, $0.count) }
        }
        if done != 0 { requests.removeAll(keepingCapacity: true) }
        return done != 0
    }

    /// MPI_Waitall under the watchdog: blocks until every request has completed.
    func waitAll(_ requests: inout [melcnn_mpi_request?], what: String) throws {
        guard !requests.isEmpty else { return }
        try requests.withUnsafeMutableBufferPointer { r in
            try collective(what) { melcnn_mpi_waitall(Int32(r.count), r.baseAddress!, &$0, $0.count) }
        }
        requests.removeAll(keepingCapacity: true)
    }

    /// Waits until every rank reaches the same barrier.
    public func barrier(_ what: String) throws {
        try collective(what) { melcnn_mpi_barrier(&$0, $0.count) }
    }

    /// MPI_Finalize (call once, at the end of a run that went well).
    public func finish() throws {
        var error = [CChar](repeating: 0, count: 1024)
        guard melcnn_mpi_finalize(&error, error.count) == 0 else {
            throw MelCNNError.invalidArgument("MPI: " + Self.text(error))
        }
    }
}
