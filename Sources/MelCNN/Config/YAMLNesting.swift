/// A nesting-depth check run on config text before Yams parses it.
///
/// Yams (libyaml) parses nested collections recursively, so a small file of 5,000
/// `[` (10 KB) overflows the stack and crashes the process. melcnn configs nest three or
/// four levels; anything deeper than `limit` is refused with one line naming the file.
///
/// The scan is an upper bound of YAML's nesting: every open flow bracket (`[`, `{`)
/// counts, block indentation levels count, and each `- ` sequence entry at the start of a
/// line counts (`- - - x` nests three sequences). Quoted scalars, comments and block
/// scalars (`|`, `>`) are skipped, so brackets inside strings do not count.
enum YAMLNesting {
    /// The deepest nesting accepted (levels of collections).
    static let limit = 64

    /// Throws a `ConfigError` naming `file` when `text` nests deeper than `limit`.
    static func check(_ text: String, file: String) throws {
        if let line = firstLineTooDeep(text) {
            throw ConfigError(file: file, key: "", message: "nested deeper than \(limit) levels at line \(line); "
                + "a melcnn config needs only a few levels")
        }
    }

    /// The 1-based line where nesting first exceeds `limit`, or nil.
    static func firstLineTooDeep(_ text: String) -> Int? {
        var flow = 0                    // open flow brackets
        var indents: [Int] = []         // block indentation stack
        var blockDepth = 0              // block levels of the current line
        var quote: UInt8? = nil         // open quote character spanning lines
        var blockScalarIndent: Int? = nil
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = Array(line)
            let indent = bytes.prefix(while: { $0 == UInt8(ascii: " ") }).count
            let blank = bytes.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if let scalarIndent = blockScalarIndent {
                if blank || indent > scalarIndent { continue }
                blockScalarIndent = nil
            }
            if blank { continue }
            var i = indent
            if flow == 0 && quote == nil {
                if bytes[i] == UInt8(ascii: "#") { continue }
                while let top = indents.last, top >= indent { indents.removeLast() }
                indents.append(indent)
                blockDepth = indents.count
                // Sequence entries at the start of the line: "- - - x".
                while i < bytes.count, bytes[i] == UInt8(ascii: "-"),
                      i + 1 == bytes.count || bytes[i + 1] == UInt8(ascii: " ") {
                    blockDepth += 1
                    i += 2
                    while i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
                }
                if blockDepth > limit { return lineNumber }
            }
            var previous: UInt8 = UInt8(ascii: " ")
            while i < bytes.count {
                let c = bytes[i]
                if let q = quote {
                    if c == UInt8(ascii: "\\") && q == UInt8(ascii: "\"") { i += 2; continue }
                    if c == q {
                        if q == UInt8(ascii: "'"), i + 1 < bytes.count, bytes[i + 1] == q { i += 2; continue }
                        quote = nil
                    }
                    previous = c
                    i += 1
                    continue
                }
                let startsToken = " \t[{,:".utf8.contains(previous)
                switch c {
                case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t"):
                    i = bytes.count
                    continue
                case UInt8(ascii: "'") where startsToken, UInt8(ascii: "\"") where startsToken:
                    quote = c
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flow += 1
                    if blockDepth + flow > limit { return lineNumber }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flow = max(0, flow - 1)
                default:
                    break
                }
                previous = c
                i += 1
            }
            if flow == 0 && quote == nil && isBlockScalarIndicator(bytes) {
                blockScalarIndent = indent
            }
        }
        return nil
    }

    /// True when the line ends with a block scalar header (`|`, `>`, `|-`, `>+`, `|2`).
    private static func isBlockScalarIndicator(_ bytes: [UInt8]) -> Bool {
        var tail = bytes
        while let c = tail.last, c == UInt8(ascii: " ") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\t") { tail.removeLast() }
        while let c = tail.last, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || (c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9")) {
            tail.removeLast()
        }
        guard let c = tail.last, c == UInt8(ascii: "|") || c == UInt8(ascii: ">") else { return false }
        tail.removeLast()
        return tail.last == UInt8(ascii: " ") || tail.last == UInt8(ascii: ":") || tail.isEmpty
    }
}
