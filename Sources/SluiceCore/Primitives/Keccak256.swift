/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not NIST
/// SHA3-256's (0x06). Rate 136 bytes, 24 rounds of Keccak-f[1600].
public enum Keccak256 {
    private static let rate = 136

    public static func hash(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        hash(Array(bytes))
    }

    public static func hash(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var state = State()
        var offset = 0
        while input.count - offset >= rate {
            state.absorb(UnsafeRawBufferPointer(rebasing: input[offset..<offset + rate]))
            offset += rate
        }
        // Last block: the remaining bytes, then the 0x01 ... 0x80 padding.
        var block = [UInt8](repeating: 0, count: rate)
        let remaining = input.count - offset
        for i in 0..<remaining { block[i] = input[offset + i] }
        block[remaining] ^= 0x01
        block[rate - 1] ^= 0x80
        block.withUnsafeBytes { state.absorb($0) }
        return state.digest()
    }

    private struct State {
        var lanes = [UInt64](repeating: 0, count: 25)

        mutating func absorb(_ block: UnsafeRawBufferPointer) {
            lanes.withUnsafeMutableBufferPointer { state in
                for i in 0..<17 {
                    state[i] ^= UInt64(littleEndian: block.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))
                }
                Keccak256.permute(state)
            }
        }

        func digest() -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 32)
            for lane in 0..<4 {
                let word = lanes[lane]
                for i in 0..<8 { out[lane * 8 + i] = UInt8(truncatingIfNeeded: word >> UInt64(8 * i)) }
            }
            return out
        }
    }

    private static let roundConstants: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 - n)) }

    /// Keccak-f[1600], unrolled over lanes held in locals (lane i is x + 5y).
    private static func permute(_ state: UnsafeMutableBufferPointer<UInt64>) {
        var a0 = state[0]
        var a1 = state[1]
        var a2 = state[2]
        var a3 = state[3]
        var a4 = state[4]
        var a5 = state[5]
        var a6 = state[6]
        var a7 = state[7]
        var a8 = state[8]
        var a9 = state[9]
        var a10 = state[10]
        var a11 = state[11]
        var a12 = state[12]
        var a13 = state[13]
        var a14 = state[14]
        var a15 = state[15]
        var a16 = state[16]
        var a17 = state[17]
        var a18 = state[18]
        var a19 = state[19]
        var a20 = state[20]
        var a21 = state[21]
        var a22 = state[22]
        var a23 = state[23]
        var a24 = state[24]
        let roundConstants = Self.roundConstants
        for round in 0..<24 {
            let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
            let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
            let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
            let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
            let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
            let d0 = c4 ^ rotl(c1, 1)
            let d1 = c0 ^ rotl(c2, 1)
            let d2 = c1 ^ rotl(c3, 1)
            let d3 = c2 ^ rotl(c4, 1)
            let d4 = c3 ^ rotl(c0, 1)
            a0 ^= d0; a1 ^= d1; a2 ^= d2; a3 ^= d3; a4 ^= d4
            a5 ^= d0; a6 ^= d1; a7 ^= d2; a8 ^= d3; a9 ^= d4
            a10 ^= d0; a11 ^= d1; a12 ^= d2; a13 ^= d3; a14 ^= d4
            a15 ^= d0; a16 ^= d1; a17 ^= d2; a18 ^= d3; a19 ^= d4
            a20 ^= d0; a21 ^= d1; a22 ^= d2; a23 ^= d3; a24 ^= d4
            let b0 = a0
            let b16 = rotl(a5, 36)
            let b7 = rotl(a10, 3)
            let b23 = rotl(a15, 41)
            let b14 = rotl(a20, 18)
            let b10 = rotl(a1, 1)
            let b1 = rotl(a6, 44)
            let b17 = rotl(a11, 10)
            let b8 = rotl(a16, 45)
            let b24 = rotl(a21, 2)
            let b20 = rotl(a2, 62)
            let b11 = rotl(a7, 6)
            let b2 = rotl(a12, 43)
            let b18 = rotl(a17, 15)
            let b9 = rotl(a22, 61)
            let b5 = rotl(a3, 28)
            let b21 = rotl(a8, 55)
            let b12 = rotl(a13, 25)
            let b3 = rotl(a18, 21)
            let b19 = rotl(a23, 56)
            let b15 = rotl(a4, 27)
            let b6 = rotl(a9, 20)
            let b22 = rotl(a14, 39)
            let b13 = rotl(a19, 8)
            let b4 = rotl(a24, 14)
            a0 = b0 ^ (~b1 & b2)
            a1 = b1 ^ (~b2 & b3)
            a2 = b2 ^ (~b3 & b4)
            a3 = b3 ^ (~b4 & b0)
            a4 = b4 ^ (~b0 & b1)
            a5 = b5 ^ (~b6 & b7)
            a6 = b6 ^ (~b7 & b8)
            a7 = b7 ^ (~b8 & b9)
            a8 = b8 ^ (~b9 & b5)
            a9 = b9 ^ (~b5 & b6)
            a10 = b10 ^ (~b11 & b12)
            a11 = b11 ^ (~b12 & b13)
            a12 = b12 ^ (~b13 & b14)
            a13 = b13 ^ (~b14 & b10)
            a14 = b14 ^ (~b10 & b11)
            a15 = b15 ^ (~b16 & b17)
            a16 = b16 ^ (~b17 & b18)
            a17 = b17 ^ (~b18 & b19)
            a18 = b18 ^ (~b19 & b15)
            a19 = b19 ^ (~b15 & b16)
            a20 = b20 ^ (~b21 & b22)
            a21 = b21 ^ (~b22 & b23)
            a22 = b22 ^ (~b23 & b24)
            a23 = b23 ^ (~b24 & b20)
            a24 = b24 ^ (~b20 & b21)
            a0 ^= roundConstants[round]
        }
        state[0] = a0
        state[1] = a1
        state[2] = a2
        state[3] = a3
        state[4] = a4
        state[5] = a5
        state[6] = a6
        state[7] = a7
        state[8] = a8
        state[9] = a9
        state[10] = a10
        state[11] = a11
        state[12] = a12
        state[13] = a13
        state[14] = a14
        state[15] = a15
        state[16] = a16
        state[17] = a17
        state[18] = a18
        state[19] = a19
        state[20] = a20
        state[21] = a21
        state[22] = a22
        state[23] = a23
        state[24] = a24
    }
}
