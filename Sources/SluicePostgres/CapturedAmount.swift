import SluiceCore

/// A token amount as two 64-bit halves, for the closures a transaction runs. A `UInt128`
/// (what `TokenAmount` holds) captured by an async closure crashes this toolchain (Swift
/// 6.3 on Linux x86_64: the closure's context loses the 16-byte alignment and the task
/// resumes through a null pointer; `LedgerStoreTests` crashed that way). Closures given to
/// `transaction` capture this instead, and rebuild the amount inside.
struct CapturedAmount: Sendable {
    let high: UInt64
    let low: UInt64

    init(_ amount: TokenAmount) {
        high = UInt64(truncatingIfNeeded: amount.wei >> 64)
        low = UInt64(truncatingIfNeeded: amount.wei)
    }

    var amount: TokenAmount { TokenAmount(wei: UInt128(high) << 64 | UInt128(low)) }
}
