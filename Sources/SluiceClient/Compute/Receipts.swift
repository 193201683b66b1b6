import Foundation
import SluiceCore
import SluiceCrypto

/// Offline verification of a job's `receipt.json` (see README "Signed job receipts"):
/// its bytes are canonical, it is signed by the node (by `nodeAddress` when given), and
/// every output it lists as released is in `outputs` with its sha256 and size.
public enum ReceiptVerification {
    /// Throws `ReceiptProblem` (or `ClientError` when the file cannot be read).
    public static func verify(receipt file: URL, nodeAddress: EthereumAddress?, outputs: URL? = nil) throws -> JobReceipt {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ClientError.invalidInput("Cannot read \(file.path).")
        }
        if let outputs {
            return try SignedReceipt.verify(Array(data), node: nodeAddress, outputs: outputs)
        }
        return try SignedReceipt.verify(Array(data), node: nodeAddress)
    }

    /// Where `sluice compute ... --out DIR` put the outputs of a receipt saved as
    /// `DIR/logs/receipt.json`: `DIR`; else the receipt's own directory.
    public static func defaultOutputs(for file: URL) -> URL {
        let directory = file.deletingLastPathComponent()
        return directory.lastPathComponent == "logs" ? directory.deletingLastPathComponent() : directory
    }
}
