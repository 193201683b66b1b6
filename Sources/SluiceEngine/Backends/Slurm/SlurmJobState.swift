/// A Slurm job's base state (`job_state`), as slurmrestd names it.
enum SlurmJobState: Equatable, Sendable {
    case pending, configuring, requeued, suspended, running, completing
    case completed, failed, timeout, deadline, outOfMemory, cancelled
    case nodeFail, preempted, bootFail
    /// A state this node does not know; followed as if running until it changes.
    case other(String)

    init(_ text: String) {
        switch text.uppercased() {
        case "PENDING": self = .pending
        case "CONFIGURING": self = .configuring
        case "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED": self = .requeued
        case "SUSPENDED", "STOPPED": self = .suspended
        case "RUNNING", "RESIZING", "SIGNALING", "STAGE_OUT": self = .running
        case "COMPLETING": self = .completing
        case "COMPLETED": self = .completed
        case "FAILED": self = .failed
        case "TIMEOUT": self = .timeout
        case "DEADLINE": self = .deadline
        case "OUT_OF_MEMORY": self = .outOfMemory
        case "CANCELLED": self = .cancelled
        case "NODE_FAIL": self = .nodeFail
        case "PREEMPTED": self = .preempted
        case "BOOT_FAIL": self = .bootFail
        default: self = .other(text)
        }
    }
}

/// Where a followed Slurm job stands, from the node's point of view.
enum SlurmPhase: Equatable, Sendable {
    /// Not started yet: Slurm holds it in its queue (`state_reason` says why).
    case waiting(reason: String?)
    /// Its batch script runs (or its processes are still being cleaned up).
    case running
    case ended(SandboxOutcome)

    var hasEnded: Bool {
        if case .ended = self { return true }
        return false
    }
}

/// The one rule from a Slurm state to a sandbox outcome.
enum SlurmStateMapping {
    /// `exitStatus` is Slurm's `exit_code` (a wait status); `killedBecause` is why the
    /// node itself cancelled the job, if it did: that reason wins over Slurm's state, as
    /// the node's own kill wins in the bubblewrap backend.
    static func phase(of state: SlurmJobState, exitStatus: Int, reason: String?, killedBecause: SandboxOutcome?) -> SlurmPhase {
        switch state {
        case .pending, .configuring, .requeued, .suspended:
            return .waiting(reason: reason)
        case .completing:
            // Its processes are being killed: when the node asked for it, that is its end
            // (Slurm takes about 2 s more to say CANCELLED); otherwise the final state
            // (and exit code) is yet to come.
            return killedBecause.map(SlurmPhase.ended) ?? .running
        case .running, .other:
            return .running
        case .completed, .failed:
            if let killedBecause { return .ended(killedBecause) }
            return .ended(exited(status: exitStatus))
        case .timeout, .deadline:
            return .ended(killedBecause ?? .exceeded(.wallTime))
        case .outOfMemory:
            return .ended(killedBecause ?? .exceeded(.memory))
        case .cancelled:
            return .ended(killedBecause ?? .interrupted("the Slurm cluster cancelled the job (not this node)"))
        case .nodeFail:
            return .ended(killedBecause ?? .interrupted("the Slurm compute node running the job failed"))
        case .bootFail:
            return .ended(killedBecause ?? .interrupted("the Slurm compute node for the job failed to boot"))
        case .preempted:
            return .ended(killedBecause ?? .interrupted("the Slurm cluster preempted the job for another"))
        }
    }

    /// A wait status: the low 7 bits a signal, else the exit code in the next byte. bwrap
    /// reports a child killed by signal N as exit 128+N, which stays an exit code.
    static func exited(status: Int) -> SandboxOutcome {
        let signal = Int32(status & 0x7f)
        if signal != 0 { return .signaled(signal) }
        return .exited(code: Int32((status >> 8) & 0xff))
    }
}
