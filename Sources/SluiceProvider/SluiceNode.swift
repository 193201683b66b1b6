import Logging
import SluiceCore
import SluiceCrypto
import SluiceStore

/// What the HTTP routes act on: the node's configuration, its key, its store and its
/// engine. Routes stay thin; the work happens here and in the parts it holds.
public struct SluiceNode: Sendable {
    public let config: NodeConfig
    /// The node's own key. Signs provider fees; its address is the provider address.
    let providerKey: PrivateKey
    public let providerAddress: EthereumAddress
    public let nonces: any NonceStore
    /// Jobs currently queued or running per environment id.
    public let currentJobs: @Sendable (String) async -> Int
    public let logger: Logger

    public init(
        config: NodeConfig,
        providerKey: PrivateKey,
        nonces: any NonceStore,
        currentJobs: @escaping @Sendable (String) async -> Int = { _ in 0 },
        logger: Logger = Logger(label: "sluice")
    ) {
        self.config = config
        self.providerKey = providerKey
        self.providerAddress = providerKey.address
        self.nonces = nonces
        self.currentJobs = currentJobs
        self.logger = logger
    }

    public static let software = "Sluice"
    public static let version = "0.1.0"
}
