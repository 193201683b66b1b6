public import ServiceLifecycle
public import SluiceEngine

/// Ties the engine to the node's service group: on SIGINT/SIGTERM the engine ends its
/// running jobs cleanly (as 41, "the node stopped") and keeps queued ones for next start.
public struct EngineService: Service {
    let engine: ComputeEngine

    public init(engine: ComputeEngine) { self.engine = engine }

    public func run() async throws {
        try? await gracefulShutdown()
        await engine.shutdown()
    }
}
