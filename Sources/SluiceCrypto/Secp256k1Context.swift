import CSecp256k1

/// The one libsecp256k1 context of the process. libsecp256k1 allows concurrent use of
/// a context by every function except randomisation and destruction, which happen only
/// here, once, before the context is shared.
final class Secp256k1Context: @unchecked Sendable {
    static let shared = Secp256k1Context()

    let pointer: OpaquePointer

    private init() {
        // SECP256K1_CONTEXT_NONE: the only flag 0.2 still distinguishes.
        guard let ctx = secp256k1_context_create(UInt32(SECP256K1_FLAGS_TYPE_CONTEXT)) else {
            // Only fails on allocation failure, where nothing else could run either.
            preconditionFailure("libsecp256k1 could not allocate a context")
        }
        var seed = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in seed.indices { seed[i] = rng.next() }
        // Blinding against side channels when signing; failure leaves it unblinded but correct.
        _ = secp256k1_context_randomize(ctx, seed)
        pointer = ctx
    }
}
