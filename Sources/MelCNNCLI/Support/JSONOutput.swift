import Foundation
import MelCNN

/// Prints `value` as one line of JSON (`--json` output): keys in snake case (`precisionAtK`
/// is `precision_at_k`) and sorted, slashes not escaped, NaN and infinities as the strings
/// "NaN", "Infinity", "-Infinity".
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// A number of `--json` output, rounded to six decimals (`0.123457`).
struct Rounded: Encodable {
    let value: Double

    init(_ value: Double) { self.value = value }
    init(_ value: Float) { self.value = Double(value) }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value.isFinite ? (value * 1e6).rounded() / 1e6 : value)
    }
}

/// One model's row of a recommendation evaluation (`factors`, `recommend --eval`, `eval --factors`).
struct RecommendationRow: Encodable {
    let model: String
    let map, auc: Rounded
    let users: Int

    init(_ row: (name: String, result: RankingMetrics.Result)) {
        model = row.name
        map = Rounded(row.result.meanAveragePrecision)
        auc = Rounded(row.result.auc)
        users = row.result.users
    }
}
