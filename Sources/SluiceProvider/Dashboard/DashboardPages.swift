import Foundation
import SluiceApplication
import SluiceCore
import SluiceEngine

/// What the templates show, made from the operator's queries. Mustache reads stored
/// properties, so each page's model is a plain struct of text and numbers.
enum DashboardPages {
    struct Time {
        let iso: String
        let text: String

        init(_ seconds: Double) {
            let date = Date(timeIntervalSince1970: seconds)
            let iso = ISO8601DateFormatter()
            self.iso = iso.string(from: date)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
            self.text = formatter.string(from: date)
        }
    }

    struct Layout {
        let title: String
        let body: String
        let nav: Bool
        let provider: String
        let chainId: Int
        let refresh: Int?
    }

    // MARK: Overview

    struct Overview {
        struct Environment {
            let id, description, backend: String
            let running, queued, maxJobs, maxQueuedJobs, maxJobDuration, storageExpiry: Int
            let nCPU, ramGB, diskGB: String
        }
        struct Expiry {
            let job: String
            let at: Time
        }
        let environments: [Environment]
        let workspaceBytes: Int64
        let workspaces: String
        let resultBytes: Int64
        let results: String
        let nextExpiry: Expiry?
    }

    static func overview(_ environments: [EnvironmentOverview], _ storage: StorageReport) -> Overview {
        Overview(
            environments: environments.map { e in
                let env = e.environment
                return Overview.Environment(id: env.id, description: env.description, backend: env.backend.name,
                                            running: e.running, queued: e.queued, maxJobs: env.maxJobs, maxQueuedJobs: env.maxQueuedJobs,
                                            maxJobDuration: env.maxJobDuration, storageExpiry: env.storageExpiry,
                                            nCPU: number(env.nCPU), ramGB: number(env.ramGB), diskGB: number(env.diskGB))
            },
            workspaceBytes: storage.workspaceBytes, workspaces: bytes(storage.workspaceBytes),
            resultBytes: storage.resultBytes, results: bytes(storage.resultBytes),
            nextExpiry: zip(storage.nextExpiringJob, storage.nextExpiry).map { Overview.Expiry(job: $0, at: Time($1)) })
    }

    // MARK: Jobs

    struct Jobs {
        struct StatusOption {
            let code: Int
            let text: String
            let selected: Bool
        }
        struct Row {
            let id, statusText, statusClass, environment, owner, dataset, reason: String
            let statusCode: Int
            let created: Time
            let finished: Time?
        }
        let statuses: [StatusOption]
        let owner, dataset, from, until: String
        let jobs: [Row]
        let count: Int
        let limit: Int
    }

    static func jobs(_ records: [JobRecord], form: DashboardJobsForm, filter: JobFilter) -> Jobs {
        Jobs(statuses: JobStatusCode.allCases.map { Jobs.StatusOption(code: $0.rawValue, text: "\($0.rawValue) \($0.statusText)",
                                                                     selected: filter.status == $0) },
             owner: form.owner ?? "", dataset: form.dataset ?? "", from: form.from ?? "", until: form.until ?? "",
             jobs: records.map { r in
                 Jobs.Row(id: r.jobId, statusText: r.status.statusText, statusClass: statusClass(r.status), environment: r.environment,
                          owner: r.owner, dataset: r.documentId, reason: r.terminationReason?.rawValue ?? "",
                          statusCode: r.status.rawValue, created: Time(r.dateCreated), finished: r.dateFinished.map(Time.init))
             },
             count: records.count, limit: filter.limit)
    }

    // MARK: One job

    struct Job {
        struct Step {
            let code: Int
            let text: String
            let at: Time
            let elapsed: String
        }
        struct Result {
            let index: Int
            let filename, kind, size: String
            let bytes: Int64
        }
        struct Checks {
            struct Decision {
                let filename, size, type, decision, rule, reason: String
            }
            let decisions: [Decision]
            let awaitingReview: Int?
        }
        let id, statusText, statusClass, environment, owner, algorithm: String
        let inputs: [String]
        let created: Time
        let finished: Time?
        let reason: String?
        let exitCode: String?
        let error: String?
        let live: Bool
        let refresh: Int
        let timeline: [Step]
        let ranFor, cpuTime, peakMemory, limits, workspace, inputSize: String
        let workspaceBytes: Int64
        let inputCount: Int
        let results: [Result]
        let checks: Checks?
        let algorithmLog, configureLog: String
        let receipt: String?
    }

    static let liveRefreshSeconds = 3

    static func job(_ overview: JobOverview, environment: ComputeEnvironment?) -> Job {
        let r = overview.record
        let start = overview.transitions.first?.at ?? r.dateCreated
        let running = overview.transitions.first { $0.status == .runningAlgorithm }?.at
        let ended = r.status.isTerminal ? (r.dateFinished ?? r.statusChangedAt) : Date().timeIntervalSince1970
        let limits = environment.map { "\(number($0.nCPU)) CPU, \(number($0.ramGB)) GB RAM, \(number($0.diskGB)) GB disk, \($0.maxJobDuration) s" } ?? "environment no longer configured"
        let checks = r.outputChecks.map { checks in
            Job.Checks(decisions: checks.decisions.map { d in
                Job.Checks.Decision(filename: d.filename, size: bytes(d.filesize), type: d.detectedType?.rawValue ?? "unreadable",
                                    decision: d.released ? "released" : "withheld", rule: d.rule?.rawValue ?? "",
                                    reason: d.reason ?? "")
            }, awaitingReview: checks.withheld.isEmpty ? nil : checks.withheld.count)
        }
        let digests = r.fileDigests ?? []
        return Job(
            id: r.jobId, statusText: r.status.statusText, statusClass: statusClass(r.status), environment: r.environment,
            owner: r.owner, algorithm: r.algoDID, inputs: r.inputDIDs, created: Time(r.dateCreated),
            finished: r.dateFinished.map(Time.init), reason: r.terminationReason?.rawValue, exitCode: r.exitCode.map(String.init),
            error: r.error, live: !r.status.isTerminal, refresh: liveRefreshSeconds,
            timeline: overview.transitions.map { Job.Step(code: $0.status.rawValue, text: $0.status.statusText, at: Time($0.at),
                                                          elapsed: duration($0.at - start)) },
            ranFor: running.map { duration(ended - $0) } ?? "did not run",
            cpuTime: r.usage?.cpuSeconds.map(duration) ?? unmeasured(r),
            peakMemory: r.usage?.peakMemoryBytes.map(bytes) ?? unmeasured(r), limits: limits,
            workspace: bytes(overview.workspaceBytes), inputSize: bytes(digests.reduce(0) { $0 + $1.size }),
            workspaceBytes: overview.workspaceBytes, inputCount: digests.count,
            results: r.results.map { Job.Result(index: $0.index, filename: $0.filename, kind: $0.type.rawValue, size: bytes($0.filesize),
                                                bytes: $0.filesize) },
            checks: checks, algorithmLog: overview.algorithmLog ?? "", configureLog: overview.configureLog ?? "",
            receipt: overview.receipt)
    }

    /// What the dashboard shows for a figure the backend did not give.
    static func unmeasured(_ record: JobRecord) -> String {
        record.status.isTerminal || record.usage != nil ? "not measured" : "when the algorithm ends"
    }

    // MARK: Assets

    struct Assets {
        struct Trusted {
            let did: String
            let name: String?
        }
        struct Row {
            let did, name, type, owner: String
            let trusted: [Trusted]
        }
        let assets: [Row]
    }

    static func assets(_ assets: [AssetOverview]) -> Assets {
        let names = Dictionary(assets.map { ($0.ddo.id.text, $0.ddo.metadata.name) }, uniquingKeysWith: { first, _ in first })
        return Assets(assets: assets.map { a in
            Assets.Row(did: a.ddo.id.text, name: a.ddo.metadata.name, type: a.ddo.metadata.type.rawValue, owner: a.ddo.nft.owner,
                       trusted: a.trustedAlgorithms.map { Assets.Trusted(did: $0, name: names[$0]) })
        })
    }

    struct Login {
        let message: String?
    }

    // MARK: Formatting

    static func statusClass(_ status: JobStatusCode) -> String {
        switch status {
        case .jobFinished: return "finished"
        case .algorithmFailed, .dataProvisioningFailed, .algorithmProvisioningFailed: return "failed"
        case .jobStopped, .jobDeleted: return "stopped"
        default: return "running"
        }
    }

    static func bytes(_ count: Int64) -> String {
        if count < 1024 { return "\(count) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(count) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return String(format: "%.1f %@", value, units[unit])
    }

    static func duration(_ seconds: Double) -> String {
        let s = max(seconds, 0)
        if s < 60 { return String(format: "%.1f s", s) }
        let whole = Int(s)
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
