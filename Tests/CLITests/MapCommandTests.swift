import Foundation
import HDF5
import XCTest

final class MapCommandTests: XCTestCase {
    /// An embeddings.h5 with 60 tracks in 3 labelled groups, 8 values each.
    func writeEmbeddings(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("emb.h5").path
        var vectors = [Float]()
        var paths = [String](), labels = [Int32]()
        var state: UInt64 = 7
        func noise() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24) - 0.5
        }
        let classes = ["blues", "rock", "jazz"]
        for i in 0 ..< 60 {
            let c = i % 3
            for d in 0 ..< 8 { vectors.append((d % 3 == c ? 4 : 0) + noise()) }
            paths.append("\(classes[c])/\(classes[c]).\(String(format: "%05d", i)).wav")
            labels.append(Int32(c))
        }
        try H5File.createAtomically(path) { file in
            try file.attributes.write("format", "melcnn-embeddings")
            try file.attributes.write("version", Int32(1))
            try file.createDataset("embeddings", values: vectors, shape: [60, 8])
            try file.createGroup("tracks")
            try file.createStringDataset("tracks/path", values: paths)
            try file.createDataset("tracks/label", values: labels)
            try file.createStringDataset("classes", values: classes)
        }
        return path
    }

    func testMapWritesPageWithOnePointPerTrack() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let emb = try writeEmbeddings(dir)
        let html = dir.appendingPathComponent("map.html").path
        let r = try CLIRunner.run(["map", "--embeddings", emb, "--out", html, "--audio-root", dir.path, "--max-iter", "300"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("trustworthiness(k=10)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("KL divergence"), r.stdout)
        let text = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "<circle class=\"pt\"").count - 1, 60)
        XCTAssertEqual(text.components(separatedBy: "class=\"legend-entry\"").count - 1, 3)
        XCTAssertFalse(text.contains("http://") || text.contains("https://"))
        XCTAssertTrue(text.contains("\"blues/blues.00000.wav\",\"blues\",\"\",\"blues/blues.00000.wav\""), String(text.prefix(3000)))

        let svg = dir.appendingPathComponent("map.svg").path
        let p = try CLIRunner.run(["map", "--embeddings", emb, "--out", svg, "--method", "pca", "--color", "cluster", "--k", "3"])
        XCTAssertEqual(p.status, 0, p.stderr)
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).contains("cluster 2"))

        let png = dir.appendingPathComponent("map.png").path
        let q = try CLIRunner.run(["map", "--embeddings", emb, "--out", png, "--method", "pca"])
        XCTAssertEqual(q.status, 0, q.stderr)
        let pngBytes = try Data(contentsOf: URL(fileURLWithPath: png))
        XCTAssertEqual(Array(pngBytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        XCTAssertEqual(try CLIRunner.run(["map", "--embeddings", emb, "--out", png, "--method", "pca"]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: png)), pngBytes, "deterministic")

        let bad = try CLIRunner.run(["map", "--embeddings", emb, "--out", dir.appendingPathComponent("map.jpg").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains(".html, .svg or .png"), bad.stderr)
    }

    /// `melcnn cluster --k 3 --out NAME` on the test embeddings (asserting that it succeeds).
    private func clusterInThree(to name: String) throws -> (dir: URL, emb: String, out: String, result: CLIRunner.Result) {
        let dir = try CLIRunner.temporaryDirectory(self)
        let emb = try writeEmbeddings(dir)
        let out = dir.appendingPathComponent(name).path
        let r = try CLIRunner.run(["cluster", "--embeddings", emb, "--k", "3", "--out", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        return (dir, emb, out, r)
    }

    func testClusterWritesCSVAndScores() throws {
        let (_, emb, csv, r) = try clusterInThree(to: "clusters.csv")
        XCTAssertTrue(r.stdout.contains("ARI 1.0000  NMI 1.0000"), r.stdout)
        let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 61)
        XCTAssertEqual(lines[0], "path,label,cluster")
        XCTAssertTrue(lines[1].hasPrefix("blues/blues.00000.wav,blues,"))

        let auto = try CLIRunner.run(["cluster", "--embeddings", emb, "--k", "auto", "--n-init", "3", "--out", csv])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stdout.contains("k-means k=3 on 60 tracks"), auto.stdout)
        XCTAssertEqual(try CLIRunner.run(["cluster", "--embeddings", emb, "--k", "many", "--out", csv]).status, 1)
    }

    func testClusterHDF5OutputColoursAMap() throws {
        let (dir, emb, h5, _) = try clusterInThree(to: "clusters.h5")
        let file = try H5File.open(h5)
        XCTAssertEqual(try file.attributes.readString("format"), "melcnn-clusters")
        XCTAssertEqual(try file.attributes.read("k", as: Int.self), 3)
        XCTAssertGreaterThan(try file.attributes.read("silhouette", as: Double.self), 0.5)
        let ids: [Int32] = try file.openDataset("clusters").read()
        XCTAssertEqual(ids.count, 60)
        XCTAssertEqual(Set(ids), [0, 1, 2])
        // The three generating groups (i % 3) each fall in one cluster.
        for c in 0 ..< 3 { XCTAssertEqual(Set(stride(from: c, to: 60, by: 3).map { ids[$0] }).count, 1) }
        XCTAssertEqual(try file.openDataset("centroids").shape, [3, 8])
        XCTAssertEqual(try file.openDataset("tracks/path").readStrings().first, "blues/blues.00000.wav")
        file.close()

        let svg = dir.appendingPathComponent("map.svg").path
        let m = try CLIRunner.run(["map", "--embeddings", emb, "--out", svg, "--method", "pca", "--clusters", h5])
        XCTAssertEqual(m.status, 0, m.stderr)
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).contains("cluster 2"))
        // Clusters of other embeddings are refused with one line naming the file.
        let other = dir.appendingPathComponent("other").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let emb2 = try writeEmbeddings(URL(fileURLWithPath: other))
        let bad = try CLIRunner.run(["map", "--embeddings", emb2, "--out", svg, "--method", "pca", "--clusters", emb])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains(emb), bad.stderr)
        XCTAssertEqual(bad.stderr.split(separator: "\n").count, 1, bad.stderr)
    }
}
