import Foundation

extension MelFilterbank {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var entries: [(MelParameters, Int, MelFilterbank)] = []
    }

    private static let cache = Cache()

    /// The filterbank for these parameters, built once and then reused (up to 16
    /// recent parameter sets, thread-safe). The one-shot functions (`melSpectrogram(_:)`,
    /// `mfcc(_:)`) use it, so repeated calls skip the filter construction.
    public static func cached(parameters: MelParameters = .init(), nFFT: Int = 2048) throws -> MelFilterbank {
        cache.lock.lock()
        if let hit = cache.entries.first(where: { $0.0 == parameters && $0.1 == nFFT }) {
            cache.lock.unlock()
            return hit.2
        }
        cache.lock.unlock()
        let bank = try MelFilterbank(parameters: parameters, nFFT: nFFT)
        cache.lock.lock()
        cache.entries.append((parameters, nFFT, bank))
        if cache.entries.count > 16 { cache.entries.removeFirst() }
        cache.lock.unlock()
        return bank
    }
}
