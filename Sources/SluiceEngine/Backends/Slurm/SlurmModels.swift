import Foundation

/// slurmrestd v0.0.38's JSON, as far as the backend uses it (field names are Slurm's).

/// `POST /slurm/v0.0.38/job/submit`.
struct SlurmSubmitBody: Encodable, Equatable {
    var script: String
    var job: SlurmJobProperties
}

struct SlurmJobProperties: Encodable, Equatable {
    var name: String
    var partition: String
    var account: String?
    var qos: String?
    var current_working_directory: String
    /// The batch script's environment (an object in v0.0.38).
    var environment: [String: String]
    var standard_output: String
    var standard_error: String
    /// Minutes.
    var time_limit: Int
    /// MiB.
    var memory_per_node: Int
    var cpus_per_task: Int
    var tasks: Int = 1
    var nodes: Int = 1
}

/// One entry of an answer's `errors`; v0.0.38 fills `error` and sometimes `description`.
struct SlurmAnswerError: Decodable, Equatable {
    var error: String?
    var description: String?
    var error_number: Int?
    var error_code: Int?

    /// One sentence for a job's error: Slurm's own words, single line, bounded.
    var sentence: String {
        let words = [error, description].compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let text = words.isEmpty ? "error \(error_number ?? error_code ?? 0)" : words.joined(separator: ": ")
        return String(text.map { $0.isNewline ? " " : $0 }.prefix(240))
    }
}

struct SlurmSubmitAnswer: Decodable {
    var job_id: Int?
    var errors: [SlurmAnswerError]?
}

/// `GET /slurm/v0.0.38/job/{id}`.
struct SlurmJobsAnswer: Decodable {
    var jobs: [SlurmJobInfo]?
    var errors: [SlurmAnswerError]?
}

struct SlurmJobInfo: Decodable, Equatable {
    var job_id: Int?
    var name: String?
    var job_state: String
    /// The batch script's wait status (exit code << 8, or the signal).
    var exit_code: Int?
    /// Why a pending job waits (`Resources`, `Priority`, ...).
    var state_reason: String?
    var partition: String?
    /// Higher runs first.
    var priority: Int?
    /// Unix seconds.
    var submit_time: Int?
    /// Unix seconds: when it started, once it runs (a forecast while it waits).
    var start_time: Int?

    init(job_id: Int? = nil, name: String? = nil, job_state: String, exit_code: Int? = nil, state_reason: String? = nil,
         partition: String? = nil, priority: Int? = nil, submit_time: Int? = nil, start_time: Int? = nil) {
        self.job_id = job_id
        self.name = name
        self.job_state = job_state
        self.exit_code = exit_code
        self.state_reason = state_reason
        self.partition = partition
        self.priority = priority
        self.submit_time = submit_time
        self.start_time = start_time
    }
}

/// Any answer's errors, for calls whose answer the backend does not otherwise read.
struct SlurmErrorsAnswer: Decodable {
    var errors: [SlurmAnswerError]?
}
