import Audio
import DSP
import HDF5

extension DatasetPreparer {
    /// One track appended to `/mels`: its input index, first row, frame count and per-bin
    /// sums of the log-mel and of its square (for the training-split statistics).
    struct WrittenTrack {
        var input: Int
        var offset: Int
        var frames: Int
        var sum: [Double]
        var sumSquares: [Double]
    }

    /// What step 2 of `prepare` leaves: the tracks written in input order, every input
    /// skipped so far (discovery's first), the rows written and, for a part, per-track moments.
    struct Extraction {
        var written: [WrittenTrack] = []
        var skipped: [(path: String, reason: String)]
        var totalFrames = 0
        var moments: TrackMoments

        init(skipped: [(path: String, reason: String)], nMels: Int) {
            self.skipped = skipped
            moments = TrackMoments(bins: nMels)
        }
    }

    /// Step 2 of `prepare`: decodes `inputs` and computes their log-mels on `options.jobs`
    /// workers (streamed: a track costs a constant plus its log-mel, not its signal; each worker
    /// asks the kernel for the file `jobs` places ahead, `ReadAhead`), and
    /// appends them to `/mels` of `file` in input order on this thread; chunks are compressed
    /// on background threads (`H5ParallelAppender`). Unreadable inputs and inputs without
    /// frames are skipped and reported. `keepMoments`: also keep per-track moments (a part).
    static func extract(_ inputs: [LabelledFile], audioDirectory: String, into file: H5File, options: PrepareOptions,
                        keepMoments: Bool, skipped: [(path: String, reason: String)],
                        onEvent: ((PrepareEvent) -> Void)?) throws -> Extraction {
        let logMel = options.data.logMel
        let extractor = try MelSpectrogramExtractor(logMel)
        var extraction = Extraction(skipped: skipped, nMels: logMel.nMels)
        let mels = try MelDataset.createMels(file, nMels: logMel.nMels, compressionLevel: options.compressionLevel)
        let jobs = max(1, options.jobs)
        let appender = try H5ParallelAppender<Float>(dataset: mels, inFlight: 2 * jobs)
        defer { appender.waitForBackgroundWrites() }
        var done = 0
        try WorkerPool.forEachInOrder(count: inputs.count, jobs: jobs, work: { i in
            if i + jobs < inputs.count {   // the file a worker takes after the others' current ones
                ReadAhead.request(AudioDiscovery.resolve(inputs[i + jobs].path, directory: audioDirectory))
            }
            return Result {
                let path = AudioDiscovery.resolve(inputs[i].path, directory: audioDirectory)
                return TrackFeatures(try extractor.logMelSpectrogram(file: path, sampleRate: logMel.sampleRate, topDB: logMel.topDB))
            }
        }) { i, result in
            done += 1
            switch result {
            case .success(let track) where track.mels.frames > 0:
                try appender.append(track.mels.data)
                extraction.written.append(WrittenTrack(input: i, offset: extraction.totalFrames, frames: track.mels.frames,
                                                       sum: track.sum, sumSquares: track.sumSquares))
                if keepMoments { extraction.moments.append(track.mels) }
                extraction.totalFrames += track.mels.frames
            case .success:
                extraction.skipped.append((inputs[i].path, "no frames"))
                onEvent?(.skipped(path: inputs[i].path, reason: "no frames"))
            case .failure(let error):
                extraction.skipped.append((inputs[i].path, "\(error)"))
                onEvent?(.skipped(path: inputs[i].path, reason: "\(error)"))
            }
            onEvent?(.progress(done: done, total: inputs.count))
        }
        try appender.finish()
        return extraction
    }
}
