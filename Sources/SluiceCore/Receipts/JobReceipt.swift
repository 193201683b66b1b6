/// What a node says, signed, about one job that ended: what ran on what, under which
/// limits, what the output checks decided and the digest of every released output.
/// Written as the result file `receipt.json` (see `SignedReceipt` in SluiceCrypto for the
/// signature and the file's bytes). Numbers are integers; fractions and times are decimal
/// strings, so the canonical form is the same bytes wherever it is re-encoded.
public struct JobReceipt: Sendable, Equatable, Codable {
    public static let currentVersion = 1

    public var version: Int
    public var jobId: String
    /// The consumer address as the client sent it.
    public var owner: String
    /// EIP-55 address of the node key that signs the receipt.
    public var node: String
    public var environment: Environment
    public var datasets: [Dataset]
    public var algorithm: Algorithm
    public var resources: Resources
    /// The job's final status code and termination reason.
    public var status: Int
    public var terminationReason: String?
    public var outputChecks: [Decision]
    /// The datasets' owners' review of the outputs; absent when none was required.
    public var review: Review?
    /// The released outputs, in results order.
    public var outputs: [File]
    /// Unix seconds as decimal strings (like the status object).
    public var dateCreated: String
    public var dateStarted: String?
    public var dateFinished: String

    public init(jobId: String, owner: String, node: String, environment: Environment, datasets: [Dataset],
                algorithm: Algorithm, resources: Resources, status: Int, terminationReason: String?,
                outputChecks: [Decision], review: Review? = nil, outputs: [File], dateCreated: String, dateStarted: String?,
                dateFinished: String) {
        self.version = Self.currentVersion
        self.jobId = jobId
        self.owner = owner
        self.node = node
        self.environment = environment
        self.datasets = datasets
        self.algorithm = algorithm
        self.resources = resources
        self.status = status
        self.terminationReason = terminationReason
        self.outputChecks = outputChecks
        self.review = review
        self.outputs = outputs
        self.dateCreated = dateCreated
        self.dateStarted = dateStarted
        self.dateFinished = dateFinished
    }

    public struct Environment: Sendable, Equatable, Codable {
        public var id: String
        public var backend: String
        public var nCPU: String
        public var ramGB: String
        public var diskGB: String
        public var maxJobDuration: Int
        public var maxProcesses: Int

        public init(_ env: ComputeEnvironment) {
            id = env.id
            backend = env.backend.docker == nil ? "bubblewrap" : "docker"
            nCPU = "\(env.nCPU)"
            ramGB = "\(env.ramGB)"
            diskGB = "\(env.diskGB)"
            maxJobDuration = env.maxJobDuration
            maxProcesses = env.maxProcesses
        }
    }

    public struct Dataset: Sendable, Equatable, Codable {
        public var did: String
        public var files: [FileDigestEntry]

        public init(did: String, files: [FileDigestEntry]) {
            self.did = did
            self.files = files
        }
    }

    /// One file that entered the job: its position and SHA-256.
    public struct FileDigestEntry: Sendable, Equatable, Codable {
        public var index: Int
        public var sha256: String
        public var size: Int64

        public init(index: Int, sha256: String, size: Int64) {
            self.index = index
            self.sha256 = sha256
            self.size = size
        }
    }

    public struct Algorithm: Sendable, Equatable, Codable {
        /// Its DID, or "raw".
        public var did: String
        /// Of the exact bytes that ran; nil when the job ended before they were provisioned.
        public var sha256: String?
        public var size: Int64?
        public var image: String
        public var tag: String
        /// The container's image digest as the job named it.
        public var checksum: String
        public var entrypoint: String

        public init(did: String, sha256: String?, size: Int64?, container: ContainerSection) {
            self.did = did
            self.sha256 = sha256
            self.size = size
            image = container.image
            tag = container.tag
            checksum = container.checksum
            entrypoint = container.entrypoint
        }
    }

    public struct Resources: Sendable, Equatable, Codable {
        /// From the start of the algorithm to its end, as a decimal string of seconds.
        public var wallTimeSeconds: String?
        /// CPU time of every process of the job, user and system, as a decimal string of
        /// seconds; nil where the backend cannot measure it.
        public var cpuSeconds: String?
        /// The most memory the job held at once (see `ResourceUsage`); nil where unmeasured.
        public var peakMemoryBytes: Int64?
        public var exitCode: Int?

        public init(wallTimeSeconds: String?, exitCode: Int?, usage: ResourceUsage? = nil) {
            self.wallTimeSeconds = wallTimeSeconds
            self.exitCode = exitCode
            cpuSeconds = usage?.cpuSeconds.map(JobStatus.decimalSeconds)
            peakMemoryBytes = usage?.peakMemoryBytes
        }
    }

    public struct Decision: Sendable, Equatable, Codable {
        public var filename: String
        public var released: Bool
        public var rule: String?
        public var reason: String?

        public init(_ decision: OutputDecision) {
            filename = decision.filename
            released = decision.released
            rule = decision.rule?.rawValue
            reason = decision.reason
        }
    }

    /// A released output.
    public struct File: Sendable, Equatable, Codable {
        public var filename: String
        public var sha256: String
        public var size: Int64

        public init(filename: String, sha256: String, size: Int64) {
            self.filename = filename
            self.sha256 = sha256
            self.size = size
        }
    }

    /// The owners' review: its end state, who had to approve, the deadline, and each decision.
    public struct Review: Sendable, Equatable, Codable {
        public var state: String
        public var reviewers: [String]
        public var deadline: String
        public var decisions: [ReviewEntry]

        public init(_ review: OwnerReview) {
            state = review.state.rawValue
            reviewers = review.reviewers
            deadline = JobStatus.decimalSeconds(review.deadline)
            decisions = review.decisions.map(ReviewEntry.init)
        }
    }

    public struct ReviewEntry: Sendable, Equatable, Codable {
        public var reviewer: String
        public var verdict: String
        public var reason: String?
        public var date: String

        public init(_ decision: ReviewDecision) {
            reviewer = decision.reviewer
            verdict = decision.verdict.rawValue
            reason = decision.reason
            date = JobStatus.decimalSeconds(decision.at)
        }
    }
}
