import Foundation
import SluiceCore
import SluiceEngine

/// A sandbox backend that runs nothing: each job "writes" the scripted outputs into its
/// workspace and ends as scripted. The engine's real queue, workspaces, results and
/// status transitions run around it, without bubblewrap or a container engine.
public struct ScriptedBackend: SandboxBackend {
    public let name: String
    public let outputs: [String: String]
    public let outcome: SandboxOutcome
    /// What every run reports it used.
    public let usage: ResourceUsage
    /// Every request the engine handed over, in order.
    public let requests = Requests()
    /// When set, every run waits for it to open: a test can hold jobs "running".
    public let gate: Gate?

    public actor Requests {
        public private(set) var all: [SandboxRequest] = []
        func append(_ request: SandboxRequest) { all.append(request) }
    }

    /// Runs wait here until `open()`.
    public actor Gate {
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []

        public init() {}

        public func open() {
            isOpen = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }

        func wait() async {
            if isOpen { return }
            await withCheckedContinuation { waiters.append($0) }
        }
    }

    /// Serves environments of backend `name` (`bubblewrap`, say).
    public init(name: String = "bubblewrap", outputs: [String: String] = ["result.txt": "done\n"],
                outcome: SandboxOutcome = .exited(code: 0), usage: ResourceUsage = .unmeasured, gate: Gate? = nil) {
        self.name = name
        self.outputs = outputs
        self.outcome = outcome
        self.usage = usage
        self.gate = gate
    }

    public func prepareImage(_ container: ContainerSection, command: [String], environment: ComputeEnvironment,
                             log: LogFile) async throws -> SandboxImage {
        .runtimeDirectory("/nonexistent-scripted-runtime")
    }

    public func run(_ request: SandboxRequest, configureLog: LogFile) async throws -> SandboxRun {
        await requests.append(request)
        await gate?.wait()
        for (name, text) in outputs {
            try Data(text.utf8).write(to: request.workspace.outputs.appendingPathComponent(name))
        }
        return SandboxRun(outcome, usage: usage)
    }

    public func verify() async throws {}

    public func removeLeftovers(of jobIds: [String]) async {}
}
