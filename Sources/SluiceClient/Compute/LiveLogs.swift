import NIOCore
public import SluiceCore

extension NodeClient {
    /// Follows the job's algorithm log as it is written (ocean-node's
    /// `computeStreamableLogs`; signs `consumerAddress + nonce + getComputeStreamableLogs`):
    /// `onChunk` gets each piece as it arrives; returns when the job's algorithm has ended.
    public func followLog(jobId: String, by wallet: Wallet, maxDuration: Duration = .seconds(86_400),
                          onChunk: ([UInt8]) async -> Void) async throws(ClientError) {
        guard !jobId.isEmpty else { throw .invalidInput("A job id is required.") }
        let nonce = try await nextNonce(for: wallet)
        let message = LiveLogRequest.message(address: wallet.checksummed, nonce: nonce)
        let query = [("consumerAddress", wallet.checksummed), ("nonce", nonce.text), ("jobId", jobId),
                     ("signature", wallet.signWhole(message))]
        try await http.stream(Paths.computeStreamableLogs, query: query,
                              timeout: .seconds(maxDuration.components.seconds), onChunk: onChunk)
    }
}
