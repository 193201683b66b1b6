/// What lets a job in: the signed request's authorisation (its nonce is spent) and the
/// orders that pay for it (each pays for one job). A store applies the whole value in
/// the transaction that stores the job, so a stale nonce or a used order stores nothing.
public struct JobAdmission: Sendable, Equatable {
    public let authorization: Authorization
    /// Transaction ids of the orders, as the ledger names them.
    public let orders: [String]
    /// The room the job's environment has, counted in the same transaction across every
    /// replica; nil to not count.
    public let room: EnvironmentRoom?

    public init(authorization: Authorization, orders: [String], room: EnvironmentRoom? = nil) {
        self.authorization = authorization
        self.orders = orders
        self.room = room
    }

    /// The orders once each, in a form every store compares the same way.
    public var orderKeys: [String] {
        var seen = Set<String>()
        return orders.map { $0.lowercased() }.filter { seen.insert($0).inserted }
    }
}

/// An environment's room: at most `capacity` unfinished jobs (`maxJobs + maxQueuedJobs`).
public struct EnvironmentRoom: Sendable, Equatable {
    public let environment: String
    public let capacity: Int

    public init(environment: String, capacity: Int) {
        self.environment = environment
        self.capacity = capacity
    }
}

/// Why a store refused a job's admission (beyond a stale nonce, `StoreError`).
public enum AdmissionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `order` already paid for `job`.
    case orderAlreadyUsed(order: String, job: String)
    /// The environment holds `capacity` unfinished jobs already.
    case environmentFull(environment: String)

    public var description: String {
        switch self {
        case .orderAlreadyUsed(let order, let job):
            return "order \(order) already paid for job \(job); order again or reuse the order"
        case .environmentFull(let environment):
            return "the queue of environment \"\(environment)\" is full; try again later"
        }
    }
}
