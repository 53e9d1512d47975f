import DSP
import Foundation
import XCTest
@testable import MelCNN

final class EmbeddingsFileTests: XCTestCase {
    func testH5AndCSVRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-emb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let file = EmbeddingsFile(vectors: [1, 0, 0.5, 0, 1, 0.25], dim: 3, paths: ["a/x.wav", "b,y.wav"],
                                  labels: [1, 0], classes: ["blues", "rock"], checkpoint: "run/best.h5", layer: "pool")
        let h5 = dir.appendingPathComponent("emb.h5").path
        try file.write(to: h5)
        XCTAssertEqual(try EmbeddingsFile.read(from: h5), file)
        let csv = dir.appendingPathComponent("emb.csv").path
        try file.write(to: csv)
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        XCTAssertEqual(text, "path,label,e0,e1,e2\na/x.wav,rock,1,0,0.5\n\"b,y.wav\",blues,0,1,0.25\n")
        XCTAssertThrowsError(try EmbeddingsFile.read(from: csv)) { error in
            XCTAssertTrue("\(error)".contains(csv), "\(error)")
        }
    }

    func testDSPMismatchNamesBothValues() {
        var config = DataConfig()
        config.logMel.nMels = 64
        var dataset = LogMelParameters()
        dataset.nMels = 64
        dataset.fmax = 11025   // as stored: resolved
        XCTAssertNoThrow(try config.checkLogMel(dataset, source: "d.h5", configSource: "c.yaml"))
        dataset.nMels = 128
        XCTAssertThrowsError(try config.checkLogMel(dataset, source: "d.h5", configSource: "c.yaml")) { error in
            XCTAssertEqual("\(error)", "d.h5: n_mels = 128 but c.yaml has n_mels = 64; "
                + "prepare the data set with config c.yaml, or set data.n_mels: 128 in c.yaml")
        }
        dataset.nMels = 64
        dataset.topDB = nil
        XCTAssertThrowsError(try config.checkLogMel(dataset, source: "d.h5", configSource: "c.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("d.h5: top_db = null but c.yaml has top_db = 80;"), "\(error)")
        }
    }
}
