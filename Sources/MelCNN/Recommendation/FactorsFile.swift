import Foundation
import HDF5

/// Latent factors of listening data on disk: `factors.h5` (docs/formats.md).
///
/// `/users/id` (strings), `/users/factors` float32 `[users, f]`, `/tracks/id` (strings),
/// `/tracks/factors` float32 `[tracks, f]`; the training plays `/plays/user`, `/plays/track`
/// (int32 row indices into the id tables) and `/plays/count` (float32, summed counts); the
/// held-out plays in the same form under `/holdout` (empty without a hold-out). Root attributes: `format = "melcnn-factors"`, `version`, `factors`,
/// `iterations`, `regularization`, `alpha`, `seed`, `cg_steps`, `confidence`, `holdout`,
/// `plays` (the CSV it came from).
public struct FactorsFile: Sendable {
    public static let format = "melcnn-factors"
    public static let version: Int32 = 1

    public var userIDs: [String]
    public var trackIDs: [String]
    /// Dimensions per row.
    public var factors: Int
    /// `[users x factors]`.
    public var userFactors: [Float]
    /// `[tracks x factors]`.
    public var trackFactors: [Float]
    /// The ALS settings (threads is not stored).
    public var options: ImplicitALS.Options
    /// Fraction of each user's tracks held out (0: none).
    public var holdoutFraction: Double
    /// The plays the factors were fitted on (users x tracks, counts).
    public var train: SparseMatrix
    /// Held-out plays (users x tracks, counts), empty without a hold-out.
    public var holdout: SparseMatrix
    /// The play-count file the factors came from.
    public var plays: String

    public init(userIDs: [String], trackIDs: [String], model: ImplicitALS.Model, options: ImplicitALS.Options,
                holdoutFraction: Double, train: SparseMatrix, holdout: SparseMatrix, plays: String) {
        precondition(train.rows == userIDs.count && train.cols == trackIDs.count
                     && holdout.rows == userIDs.count && holdout.cols == trackIDs.count)
        self.userIDs = userIDs
        self.trackIDs = trackIDs
        factors = model.factors
        userFactors = model.userFactors
        trackFactors = model.itemFactors
        self.options = options
        self.holdoutFraction = holdoutFraction
        self.train = train
        self.holdout = holdout
        self.plays = plays
    }

    /// Writes the file atomically (temporary name, checked, synced, renamed).
    public func write(to path: String) throws {
        try H5File.createAtomically(path) { file in
            let a = file.attributes
            try a.write("format", Self.format)
            try a.write("version", Self.version)
            try a.write("factors", Int32(factors))
            try a.write("iterations", Int32(options.iterations))
            try a.write("regularization", options.regularization)
            try a.write("alpha", options.alpha)
            try a.write("seed", options.seed)
            try a.write("cg_steps", Int32(options.cgSteps))
            try a.write("confidence", "1 + alpha * count")
            try a.write("holdout", holdoutFraction)
            try a.write("plays", plays)
            try file.createGroup("users")
            try file.createStringDataset("users/id", values: userIDs)
            try file.createDataset("users/factors", values: userFactors, shape: [userIDs.count, factors])
            try file.createGroup("tracks")
            try file.createStringDataset("tracks/id", values: trackIDs)
            try file.createDataset("tracks/factors", values: trackFactors, shape: [trackIDs.count, factors])
            try Self.writeTriplets(train, group: "plays", in: file)
            try Self.writeTriplets(holdout, group: "holdout", in: file)
        }
    }

    /// Reads a file written by `write(to:)` (or by h5py in the same layout), checking shapes,
    /// finiteness and hold-out indices.
    public static func read(from path: String) throws -> FactorsFile {
        let file = try H5File.open(path)
        defer { file.close() }
        guard (try? file.attributes.readString("format")) == format else {
            throw MelCNNError.wrongFileKind(path: path, expected: format)
        }
        func bad(_ reason: String) -> MelCNNError { .invalidFile(path: path, reason: reason) }
        let users = try file.openDataset("users/id").readStrings()
        let tracks = try file.openDataset("tracks/id").readStrings()
        let userSet = try file.openDataset("users/factors"), trackSet = try file.openDataset("tracks/factors")
        let us = try userSet.shape, ts = try trackSet.shape
        guard us.count == 2, ts.count == 2, us[1] == ts[1], us[1] >= 1 else {
            throw bad("/users/factors and /tracks/factors must be 2-D with the same number of columns")
        }
        guard us[0] == users.count, ts[0] == tracks.count else {
            throw bad("the factor matrices and the id tables have different lengths")
        }
        guard !users.isEmpty, !tracks.isEmpty else { throw bad("no users or no tracks") }
        let x: [Float] = try userSet.read(), y: [Float] = try trackSet.read()
        try FileValueChecks.requireFinite(x, path: path, object: "/users/factors")
        try FileValueChecks.requireFinite(y, path: path, object: "/tracks/factors")
        var options = ImplicitALS.Options(factors: us[1])
        if let v = try? file.attributes.read("iterations", as: Int32.self) { options.iterations = Int(v) }
        if let v = try? file.attributes.read("regularization", as: Float.self) { options.regularization = v }
        if let v = try? file.attributes.read("alpha", as: Float.self) { options.alpha = v }
        if let v = try? file.attributes.read("seed", as: UInt64.self) { options.seed = v }
        if let v = try? file.attributes.read("cg_steps", as: Int32.self) { options.cgSteps = Int(v) }
        let train = try readTriplets(group: "plays", file: file, path: path, users: users.count, tracks: tracks.count)
        let holdout = try readTriplets(group: "holdout", file: file, path: path, users: users.count, tracks: tracks.count)
        var result = FactorsFile(userIDs: users, trackIDs: tracks,
                                 model: .init(factors: us[1], userFactors: x, itemFactors: y), options: options,
                                 holdoutFraction: (try? file.attributes.read("holdout", as: Double.self)) ?? 0,
                                 train: train, holdout: holdout, plays: (try? file.attributes.readString("plays")) ?? "")
        result.holdoutFraction = max(0, result.holdoutFraction)
        return result
    }

    static func writeTriplets(_ m: SparseMatrix, group: String, in file: H5File) throws {
        var users: [Int32] = [], tracks: [Int32] = [], counts: [Float] = []
        users.reserveCapacity(m.nonzeros)
        for u in 0 ..< m.rows {
            for _ in m.indptr[u] ..< m.indptr[u + 1] { users.append(Int32(u)) }
        }
        tracks = m.indices
        counts = m.values
        try file.createGroup(group)
        try file.createDataset("\(group)/user", values: users)
        try file.createDataset("\(group)/track", values: tracks)
        try file.createDataset("\(group)/count", values: counts)
    }

    /// `/<group>/{user,track,count}` as a users x tracks matrix (empty when the group is absent).
    static func readTriplets(group: String, file: H5File, path: String, users: Int, tracks: Int) throws -> SparseMatrix {
        func bad(_ reason: String) -> MelCNNError { .invalidFile(path: path, reason: reason) }
        var user: [Int32] = [], track: [Int32] = [], count: [Float] = []
        if (try? file.openDataset("\(group)/user")) != nil {
            user = try file.openDataset("\(group)/user").read()
            track = try file.openDataset("\(group)/track").read()
            count = try file.openDataset("\(group)/count").read()
            guard user.count == track.count, track.count == count.count else {
                throw bad("/\(group)/user, /\(group)/track and /\(group)/count have different lengths")
            }
            guard user.allSatisfy({ $0 >= 0 && Int($0) < users }), track.allSatisfy({ $0 >= 0 && Int($0) < tracks }) else {
                throw bad("/\(group) holds an index outside the id tables")
            }
            guard count.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw bad("/\(group)/count holds a value that is not > 0") }
        }
        return SparseMatrix(rows: users, cols: tracks, rowIndex: user, colIndex: track, values: count)
    }

    /// mAP@k and AUC on the held-out plays of the stored factors and of the popularity and
    /// random baselines (`RankingMetrics`), in that order.
    public func evaluate(k: Int = 500, seed: UInt64 = 0, threads: Int = 1) -> [(name: String, result: RankingMetrics.Result)] {
        [("als", RankingMetrics.evaluateFactors(userFactors: userFactors, itemFactors: trackFactors, factors: factors,
                                                  train: train, test: holdout, k: k, threads: threads)),
         ("popularity", RankingMetrics.evaluatePopularity(train: train, test: holdout, k: k, threads: threads)),
         ("random", RankingMetrics.evaluateRandom(train: train, test: holdout, k: k, seed: seed, threads: threads))]
    }

    /// Row of user `id`, nil if unknown.
    public func userIndex(_ id: String) -> Int? { userIDs.firstIndex(of: id) }

    /// The `k` best tracks for user row `u` by `x_u . y_i`, best first (ties by track index),
    /// leaving out `exclude` (e.g. the tracks the user played).
    public func recommend(user u: Int, k: Int, exclude: Set<Int> = []) -> [(track: Int, score: Float)] {
        var scores = [Float](repeating: 0, count: trackIDs.count)
        for t in 0 ..< trackIDs.count {
            var s: Float = 0
            for j in 0 ..< factors { s += userFactors[u * factors + j] * trackFactors[t * factors + j] }
            scores[t] = s
        }
        var order = (0 ..< trackIDs.count).filter { !exclude.contains($0) }
        order.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return order.prefix(max(0, k)).map { ($0, scores[$0]) }
    }
}
