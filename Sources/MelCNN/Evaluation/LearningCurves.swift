import Foundation

/// `curves.svg` of a run: the learning curves from `metrics.csv`'s rows. The top panel shows
/// training and validation loss, the middle one training accuracy and validation patch and
/// track accuracy (0–100%), the bottom one the learning rate of each epoch; epochs on x, a legend beside each panel and the best epoch
/// (`bestEpoch`, 0 for none) marked by a dashed line in both. Series without a finite value
/// (no validation split) are left out; one polyline point per epoch with a finite value.
/// Pure SVG, deterministic (same rows, same bytes).
public func learningCurvesSVG(_ rows: [EpochMetrics], bestEpoch: Int = 0, title: String = "Learning curves") -> String {
    struct Series { let key: String, label: String, color: String, values: [Double] }
    let epochs = rows.map { Double($0.epoch) }
    let m = 10.0, fs = 12.0
    let panelW = 480.0, panelH = 180.0, axisLeft = 64.0
    var c = SVGCanvas(fontSize: fs)
    c.text(title, x: m, y: m + 12, size: 15, bold: true)
    let firstEpoch = epochs.min() ?? 1, lastEpoch = max(epochs.max() ?? 1, firstEpoch + 1)
    func xPos(_ e: Double) -> Double { axisLeft + (e - firstEpoch) / (lastEpoch - firstEpoch) * panelW }

    let losses = [Series(key: "train_loss", label: "training loss", color: "#1f77b4", values: rows.map(\.trainLoss)),
                  Series(key: "val_loss", label: "validation loss", color: "#ff7f0e", values: rows.map(\.valLoss))]
    let accuracies = [Series(key: "train_acc", label: "training accuracy", color: "#1f77b4", values: rows.map { 100 * $0.trainAccuracy }),
                      Series(key: "val_patch_acc", label: "validation patch accuracy", color: "#ff7f0e", values: rows.map { 100 * $0.valPatchAccuracy }),
                      Series(key: "val_track_acc", label: "validation track accuracy", color: "#2ca02c", values: rows.map { 100 * $0.valTrackAccuracy })]
    let finiteLoss = losses.flatMap(\.values).filter(\.isFinite)
    let lossTop = niceCeiling(max(finiteLoss.max() ?? 1, 1e-9))
    let rates = [Series(key: "lr", label: "learning rate", color: "#9467bd", values: rows.map(\.lr))]
    let rateTop = niceCeiling(max(rates[0].values.filter(\.isFinite).max() ?? 1, 1e-12))

    var panelTop = m + 36
    for (index, panel) in [(name: "loss", series: losses, top: lossTop, unit: ""),
                           (name: "accuracy (%)", series: accuracies, top: 100.0, unit: "%"),
                           (name: "learning rate", series: rates, top: rateTop, unit: "")].enumerated() {
        let y0 = panelTop, y1 = panelTop + panelH
        func yPos(_ v: Double) -> Double { y1 - min(max(v / panel.top, 0), 1) * panelH }
        c.raw("<g class=\"panel\" data-panel=\"\(["loss", "accuracy", "lr"][index])\">")
        c.rect(x: axisLeft, y: y0, width: panelW, height: panelH, attributes: #"fill="none" stroke="rgb(204,204,204)""#)
        // Axes with ticks.
        c.line(axisLeft, y1, axisLeft + panelW, y1, extra: #"class="axis""#)
        c.line(axisLeft, y0, axisLeft, y1, extra: #"class="axis""#)
        for t in 0...4 {
            let v = panel.top * Double(t) / 4, y = yPos(v)
            c.line(axisLeft - 4, y, axisLeft, y)
            if t > 0 { c.line(axisLeft, y, axisLeft + panelW, y, stroke: "rgb(238,238,238)") }
            c.text(tickLabel(v) + panel.unit, x: axisLeft - 7, y: y + 4, anchor: .end, extra: #"class="tick""#)
        }
        let step = epochTickStep(Int(lastEpoch - firstEpoch) + 1)
        var e = Int(firstEpoch)
        while Double(e) <= lastEpoch {
            let x = xPos(Double(e))
            c.line(x, y1, x, y1 + 4)
            c.text("\(e)", x: x, y: y1 + 17, anchor: .middle, extra: #"class="tick""#)
            e += step
        }
        c.text("epoch", x: axisLeft + panelW / 2, y: y1 + 34, anchor: .middle, extra: #"class="axis-label""#)
        c.text(panel.name, x: m + 0.8 * fs, y: (y0 + y1) / 2, anchor: .middle, rotation: -90, extra: #"class="axis-label""#)
        // Best epoch.
        if bestEpoch > 0, rows.contains(where: { $0.epoch == bestEpoch }) {
            let x = xPos(Double(bestEpoch))
            c.line(x, y0, x, y1, stroke: "rgb(120,120,120)", extra: #"class="best-epoch" stroke-dasharray="4 3""#)
            if index == 0 { c.text("best epoch \(bestEpoch)", x: x + 4, y: y0 + 14, extra: #"class="best-epoch-label" fill="rgb(90,90,90)""#) }
        }
        // Series and legend.
        var legendY = y0 + 12
        for s in panel.series where s.values.contains(where: \.isFinite) {
            let points = zip(epochs, s.values).filter { $0.1.isFinite }
                .map { "\(svgNumber(xPos($0.0))),\(svgNumber(yPos($0.1)))" }.joined(separator: " ")
            c.raw("<polyline class=\"series\" data-series=\"\(s.key)\" points=\"\(points)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"/>")
            if bestEpoch > 0, let i = rows.firstIndex(where: { $0.epoch == bestEpoch }), s.values[i].isFinite {
                c.raw("<circle class=\"best-point\" cx=\"\(svgNumber(xPos(epochs[i])))\" cy=\"\(svgNumber(yPos(s.values[i])))\" r=\"3.5\" fill=\"\(s.color)\"/>")
            }
            let lx = axisLeft + panelW + 16
            c.line(lx, legendY - 4, lx + 18, legendY - 4, stroke: s.color, extra: #"stroke-width="2""#)
            c.text(s.label, x: lx + 24, y: legendY, extra: #"class="legend""#)
            legendY += 18
        }
        c.raw("</g>")
        panelTop = y1 + 56
    }
    return c.render(margin: m)
}

/// 1, 2, 4 or 8 times a power of ten, at least `v` (quarters are round numbers).
private func niceCeiling(_ v: Double) -> Double {
    let p = pow(10, (log10(v)).rounded(.down))
    for f in [1.0, 2, 4, 8, 10] where f * p >= v * (1 - 1e-12) { return f * p }
    return 10 * p
}

private func tickLabel(_ v: Double) -> String {
    if v == v.rounded() { return String(Int(v)) }
    if abs(v) < 0.01 { return String(format: "%g", v) }
    var s = String(format: "%.3f", v)
    while s.hasSuffix("0") { s.removeLast() }
    return s
}

/// An integer step giving at most about 10 epoch ticks.
private func epochTickStep(_ count: Int) -> Int {
    for s in [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] where (count + s - 1) / s <= 10 { return s }
    return max(1, count / 10)
}
