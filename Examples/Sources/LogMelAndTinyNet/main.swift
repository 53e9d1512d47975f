// librosa's log-mel of a tone, then one forward and backward pass of a small PyTorch-style
// network over it: the two halves of melcnn a library user reaches for first.
import DSP
import Foundation
import NN
import Tensor

// 2 s of a 440 Hz tone at 22050 Hz: librosa.power_to_db(melspectrogram(y, sr=22050), ref=np.max).
let sampleRate = 22050
let y = (0 ..< 2 * sampleRate).map { Float(sin(2 * Double.pi * 440 * Double($0) / Double(sampleRate))) }
let mel = try melSpectrogram(y)                          // [frames x 128], power
let logMel = try powerToDb(mel, ref: .max, topDB: 80)     // dB, peak 0
let peakBin = (0 ..< logMel.bins).max { logMel.data[$0] < logMel.data[$1] }!
print("log-mel: \(logMel.frames) frames x \(logMel.bins) bands, loudest band \(peakBin)")

// Conv1d over time with the mel bands as channels, ReLU, mean over time, Linear to 3 classes.
var generator = SeededGenerator(seed: 0)
let conv = Conv1d(logMel.bins, 8, kernelSize: 4, using: &generator)
let fc = Linear(8, 3, using: &generator)
var frames = [Float](repeating: 0, count: logMel.data.count)  // [bands, frames] as Conv1d wants
for t in 0 ..< logMel.frames {
    for b in 0 ..< logMel.bins { frames[b * logMel.frames + t] = logMel.data[t * logMel.bins + b] / 80 }
}
let x = Tensor(shape: [1, logMel.bins, logMel.frames], data: frames)
let logits = fc(globalMeanPool(relu(conv(x))))
let loss = crossEntropy(logits, targets: [1])
loss.backward()
print("logits \(logits.shape): \(logits.data.map { String(format: "%.4f", $0) }), loss \(String(format: "%.4f", loss.data[0]))")
print("conv1 weight gradient norm \(String(format: "%.4f", sqrt(conv.weight.grad!.reduce(0) { $0 + $1 * $1 })))")
