extension TrainedModel {
    /// The embedding of one audio file at `layer` (`pool`, `fc1`, ...; empty means `pool`),
    /// `[dim]`: the mean over the file's patches, as `melcnn embed` computes it, so that it can
    /// be compared with an embeddings file made from the same checkpoint and layer.
    public func embedding(ofAudioFile path: String, layer: String) throws -> [Float] {
        let which = try EmbeddingLayer(name: layer.isEmpty ? "pool" : layer, spec: config.model)
        let tracks = try tracks(fromAudio: [path], logMel: dspConfig.logMelFunction())
        return try embed(tracks, layer: which).vectors
    }
}
