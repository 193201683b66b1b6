import Foundation
import SluiceCore
@testable import SluiceEngine
import Testing

/// The Slurm backend's rules without a cluster: states to outcomes, the submit body and
/// the batch script.
@Suite struct SlurmUnitTests {
    static let cases: [(String, Int, SlurmPhase)] = [
        ("PENDING", 0, .waiting(reason: "Resources")),
        ("CONFIGURING", 0, .waiting(reason: "Resources")),
        ("SUSPENDED", 0, .waiting(reason: "Resources")),
        ("RUNNING", 0, .running),
        ("COMPLETING", 0, .running),
        ("SOME_NEW_STATE", 0, .running),
        ("COMPLETED", 0, .ended(.exited(code: 0))),
        ("FAILED", 3 << 8, .ended(.exited(code: 3))),
        ("FAILED", 9, .ended(.signaled(9))),
        ("FAILED", (128 + 11) << 8, .ended(.exited(code: 139))),
        ("TIMEOUT", 15, .ended(.exceeded(.wallTime))),
        ("DEADLINE", 0, .ended(.exceeded(.wallTime))),
        ("OUT_OF_MEMORY", 9, .ended(.exceeded(.memory))),
        ("CANCELLED", 15, .ended(.interrupted("the Slurm cluster cancelled the job (not this node)"))),
        ("NODE_FAIL", 0, .ended(.interrupted("the Slurm compute node running the job failed"))),
        ("PREEMPTED", 0, .ended(.interrupted("the Slurm cluster preempted the job for another"))),
        ("BOOT_FAIL", 0, .ended(.interrupted("the Slurm compute node for the job failed to boot"))),
    ]

    @Test(arguments: cases)
    func everySlurmStateMapsToAPhase(_ state: String, _ exitStatus: Int, _ expected: SlurmPhase) {
        let phase = SlurmStateMapping.phase(of: SlurmJobState(state), exitStatus: exitStatus, reason: "Resources", killedBecause: nil)
        #expect(phase == expected, "\(state)")
    }

    @Test(arguments: [SandboxOutcome.stopped, .exceeded(.wallTime), .exceeded(.disk)])
    func theNodesOwnKillWinsOverSlurmsEnding(_ kill: SandboxOutcome) {
        for state in ["CANCELLED", "COMPLETED", "FAILED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL"] {
            let phase = SlurmStateMapping.phase(of: SlurmJobState(state), exitStatus: 15, reason: nil, killedBecause: kill)
            #expect(phase == .ended(kill), "\(state)")
        }
        // A kill does not end a job Slurm still runs: the node waits for Slurm's word,
        // which COMPLETING (its processes being killed) is.
        #expect(SlurmStateMapping.phase(of: .running, exitStatus: 0, reason: nil, killedBecause: kill) == .running)
        #expect(SlurmStateMapping.phase(of: .completing, exitStatus: 0, reason: nil, killedBecause: kill) == .ended(kill))
    }

    static func request(seconds: Int = 90, memory: Int64 = 256 << 20, cpus: Double = 0.5) -> SandboxRequest {
        let limits = JobLimits(memoryBytes: memory, maxProcesses: 64, cpus: cpus, diskBytes: 64 << 20,
                               wallTimeSeconds: seconds, algorithmLogBytes: 1 << 20)
        return SandboxRequest(jobId: "0123456789abcdef0123456789abcdef", workspace: Workspace(root: URL(fileURLWithPath: "/shared/jobs/j1")),
                              command: ["sh", "/data/transformations/algorithm"], environment: ["OUTPUTS": "/data/outputs"],
                              container: ContainerSection(entrypoint: "sh $ALGO", image: "shell", tag: "1"),
                              image: .clusterRuntime(ClusterRuntime(directory: "/shared/rt", environment: "e")),
                              limits: limits, user: SandboxUser(uid: 1234, gid: 1234))
    }

    static func settings() throws -> SlurmSettings {
        SlurmSettings(restURL: try #require(SlurmRESTEndpoint("http://10.1.2.3:6820")), tokenFile: "/t", user: "sluice",
                      partition: "batch", qos: "low")
    }

    @Test(arguments: [(1, 2), (59, 2), (60, 2), (61, 3), (90, 3), (3600, 61)])
    func slurmsTimeLimitIsWholeMinutesRoundedUpPlusAMargin(_ seconds: Int, _ minutes: Int) {
        #expect(SlurmBatchJob.timeLimitMinutes(seconds: seconds) == minutes)
    }

    @Test func theBodyCarriesTheJobsLimitsPartitionAndOutputFile() throws {
        let body = SlurmBatchJob.body(for: Self.request(memory: (256 << 20) + 1, cpus: 1.5), runtime: "/shared/rt", settings: try Self.settings())
        #expect(body.job.partition == "batch" && body.job.qos == "low" && body.job.account == nil)
        #expect(body.job.memory_per_node == 257 && body.job.cpus_per_task == 2 && body.job.time_limit == 3)
        #expect(body.job.standard_output == "/shared/jobs/j1/.slurm/output" && body.job.standard_error == body.job.standard_output)
        #expect(body.job.current_working_directory == "/shared/jobs/j1")
        #expect(body.job.name == "sluice-0123456789abcdef0123456789abcdef")
        let json = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        #expect(json.contains(#""time_limit":3"#) && !json.contains("account"))
        #expect(json.contains(#""environment":{"PATH":"\/usr\/sbin:\/usr\/bin:\/sbin:\/bin"}"#), "\(json)")
    }

    @Test func theScriptRunsTheBubblewrapLauncherWithoutChangingUsers() throws {
        let body = SlurmBatchJob.body(for: Self.request(), runtime: "/shared/rt", settings: try Self.settings())
        #expect(body.script.hasPrefix("#!/bin/sh\n'/bin/sh' '-c' 'n=$1; shift"))
        #expect(body.script.contains("'/usr/bin/unshare' '--mount' '--propagation' 'private' '--user' '--map-root-user'"))
        #expect(body.script.contains("'stage' '/shared/jobs/j1' '/shared/rt' ',userxattr'"))
        #expect(body.script.contains("'/usr/bin/bwrap' '--args' '3' '--' 'sh' '/data/transformations/algorithm'\nstatus=$?\n"))
        // Then what the job's own cgroups counted, and the launcher's status.
        #expect(body.script.contains("done </proc/self/cgroup >'/shared/jobs/j1/.slurm/usage'\n"))
        #expect(body.script.hasSuffix("\nexit $status\n"))
        #expect(!body.script.contains("setpriv"))
        // The disk quota as a file-size rlimit, in 512-byte blocks.
        #expect(body.script.contains("'1' '-f' '131072'"))
    }

    /// Twenty jobs waiting at once cost Slurm one scan of its queue, and a listing older
    /// than its age is made again.
    @Test func jobsWaitingTogetherShareOneListingOfTheQueue() async throws {
        let listing = SlurmQueueListing()
        let calls = Counter()
        let list: @Sendable () async throws -> [SlurmJobInfo] = {
            await calls.increment()
            try await Task.sleep(for: .milliseconds(50))
            return [SlurmJobInfo(job_id: 1, job_state: "PENDING", partition: "debug", priority: 1, submit_time: 1)]
        }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await listing.jobs(maxAge: .seconds(60), list: list).count } }
            for try await count in group { #expect(count == 1) }
        }
        #expect(await calls.value == 1)
        _ = try await listing.jobs(maxAge: .zero, list: list)
        #expect(await calls.value == 2)
    }

    actor Counter {
        private(set) var value = 0
        func increment() { value += 1 }
    }

    @Test func whatTheJobUsedIsReadFromTheBatchScriptsReport() {
        let v1 = SlurmBatchJob.usage(fromReport: "memory.max_usage_in_bytes 130023424 \ncpuacct.usage 1250000000 \n")
        #expect(v1 == ResourceUsage(cpuSeconds: 1.25, peakMemoryBytes: 130_023_424))
        let v2 = SlurmBatchJob.usage(fromReport: "memory.peak 4096 \ncpu.stat usage_usec 750000 user_usec 700000 system_usec 50000 \n")
        #expect(v2 == ResourceUsage(cpuSeconds: 0.75, peakMemoryBytes: 4096))
        for unreadable in ["", "memory.peak lots\n", "cpuacct.usage -5\n", "cpu.stat user_usec 5\n", "other.file 12\n", "memory.peak\n"] {
            #expect(SlurmBatchJob.usage(fromReport: unreadable) == .unmeasured, "\(unreadable)")
        }
    }

    @Test(arguments: [("plain", "'plain'"), ("it's", #"'it'\''s'"#), ("", "''"), ("$HOME `x`", "'$HOME `x`'")])
    func everyArgumentIsOneShellWord(_ text: String, _ quoted: String) {
        #expect(SlurmBatchJob.shellQuoted(text) == quoted)
    }

    /// Slurm's order within one partition: priority, then submit time, then id; other
    /// partitions and running jobs do not count.
    @Test func aPendingJobsPlaceIsCountedAmongItsPartitionsPendingJobsInSlurmsOrder() {
        let jobs = [
            SlurmJobInfo(job_id: 1, job_state: "RUNNING", partition: "debug", priority: 900, submit_time: 10),
            SlurmJobInfo(job_id: 2, job_state: "PENDING", partition: "debug", priority: 500, submit_time: 11),
            SlurmJobInfo(job_id: 3, job_state: "PENDING", partition: "debug", priority: 700, submit_time: 12),
            SlurmJobInfo(job_id: 4, job_state: "PENDING", partition: "other", priority: 999, submit_time: 1),
            SlurmJobInfo(job_id: 5, job_state: "PENDING", partition: "debug", priority: 500, submit_time: 11),
            SlurmJobInfo(job_id: 6, job_state: "PENDING", partition: "debug", priority: 500, submit_time: 9),
        ]
        let places = [1, 2, 3, 5, 6].map { SlurmQueue.position(of: $0, partition: "debug", among: jobs) }
        #expect(places == [nil, 3, 1, 4, 2])
        #expect(SlurmQueue.position(of: 4, partition: "other", among: jobs) == 1)
        #expect(SlurmQueue.reason("None") == nil && SlurmQueue.reason("") == nil && SlurmQueue.reason("Resources") == "Resources")
    }

    @Test func aJobIsPolledEveryTenthOfItsTimeWithinTheBounds() {
        let bounds = Duration.milliseconds(100)...Duration.seconds(2)
        #expect(SlurmBackend.pollDelay(after: .zero, within: bounds) == .milliseconds(100))
        #expect(SlurmBackend.pollDelay(after: .seconds(5), within: bounds) == .milliseconds(500))
        #expect(SlurmBackend.pollDelay(after: .seconds(3600), within: bounds) == .seconds(2))
    }

    @Test func slurmsRefusalIsOneSentence() {
        let error = SlurmAnswerError(error: "Invalid partition name specified\nsecond line", description: nil, error_number: nil, error_code: 2000)
        #expect(error.sentence == "Invalid partition name specified second line")
        #expect(SlurmAnswerError(error: nil, description: nil, error_number: 2017, error_code: nil).sentence == "error 2017")
    }

    @Test func errorsNameTheEndpointOnlyNeverTheDetail() throws {
        let endpoint = try #require(SlurmRESTEndpoint("http://10.1.2.3:6820/"))
        let error = SlurmError(endpoint: endpoint, operation: "submit the job", kind: .unreachable, detail: "token=abc connection refused")
        #expect(error.description == "the Slurm cluster at 10.1.2.3:6820 did not answer (submit the job)")
    }

    @Test(arguments: ["ftp://h:1", "http://", "http://h:0", "http://h:1/slurm", "http://u:p@h:1", "h:1"])
    func aRESTURLOtherThanSchemeHostPortIsRefused(_ text: String) {
        #expect(SlurmRESTEndpoint(text) == nil)
    }

    @Test func aRESTURLWithoutPortTakesTheSchemesDefault() {
        #expect(SlurmRESTEndpoint("https://slurm.example")?.description == "slurm.example:443")
        #expect(SlurmRESTEndpoint("http://slurm.example")?.baseURL == "http://slurm.example:80")
    }
}
