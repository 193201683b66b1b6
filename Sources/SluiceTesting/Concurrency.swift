/// For tests that read from inside each run when it started and ended.
public enum RunSpans {
    /// The most runs under way at one instant: counted a tenth of a second (`tolerance`)
    /// after each start, where a later start among overlapping runs sees them all (runs
    /// sharing less than that only touched, one's end and the next one's start, read from
    /// clocks inside each).
    public static func mostAtOnce(_ spans: [(start: Double, end: Double)], tolerance: Double = 0.1) -> Int {
        spans.map { span in
            let instant = span.start + tolerance
            return spans.filter { $0.start <= instant && $0.end > instant }.count
        }.max() ?? 0
    }
}
