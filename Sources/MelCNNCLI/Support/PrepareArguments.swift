import ArgumentParser
import MelCNN

// The text forms of `prepare`'s `--split`, `--split-files` and `--shard`; the library checks
// the values themselves (`SplitSpec.stratified`, `PrepareShard.init`).

extension SplitSpec {
    /// `--split 0.8,0.1,0.1`: stratified fractions train,validation,test.
    static func fractions(argument text: String) throws -> SplitSpec {
        let values = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 3, let train = values[0], let validation = values[1], let test = values[2] else {
            throw CLIError("expected three comma-separated fractions train,validation,test (e.g. 0.8,0.1,0.1)")
        }
        do { return try SplitSpec.stratified(train: train, validation: validation, test: test) } catch let error as ParameterError {
            throw CLIError(problemOf: error)
        }
    }

    /// `--split-files train.txt,valid.txt,test.txt`.
    static func files(argument text: String) throws -> SplitSpec {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw CLIError("expected three comma-separated files (train,valid,test)")
        }
        return .files(train: parts[0], validation: parts[1], test: parts[2])
    }
}

extension PrepareShard {
    /// `--shard 2/8`: part I of N, 0-based.
    static func shard(argument text: String) throws -> PrepareShard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw CLIError("expected I/N (part I of N, 0-based, e.g. 0/4)")
        }
        do { return try PrepareShard(index: index, count: count) } catch let error as ParameterError {
            throw CLIError(problemOf: error)
        }
    }
}
