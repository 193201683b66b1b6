/// Keccak-256 as Ethereum uses it: the original Keccak padding (0x01), not NIST
/// SHA3-256's (0x06). Rate 136 bytes, 24 rounds of Keccak-f[1600].
public struct Keccak256: Sendable {
    private var state = [UInt64](repeating: 0, count: 25)
    private var buffer = [UInt8]()
    private static let rate = 136

    public init() { buffer.reserveCapacity(Self.rate) }

    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = Keccak256()
        hasher.update(bytes)
        return hasher.finalize()
    }

    public static func hash(_ text: String) -> [UInt8] { hash(text.utf8) }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        for byte in bytes {
            buffer.append(byte)
            if buffer.count == Self.rate {
                absorbBuffer()
                buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    public consuming func finalize() -> [UInt8] {
        var block = buffer
        block.append(0x01)
        while block.count < Self.rate { block.append(0) }
        block[Self.rate - 1] |= 0x80
        buffer = block
        absorbBuffer()
        var out = [UInt8]()
        out.reserveCapacity(32)
        for lane in 0..<4 {
            let word = state[lane]
            for i in 0..<8 { out.append(UInt8(truncatingIfNeeded: word >> (8 * UInt64(i)))) }
        }
        return out
    }

    private mutating func absorbBuffer() {
        buffer.withUnsafeBufferPointer { block in
            state.withUnsafeMutableBufferPointer { lanes in
                for lane in 0..<(Self.rate / 8) {
                    var word: UInt64 = 0
                    for i in 0..<8 { word |= UInt64(block[lane * 8 + i]) << (8 * UInt64(i)) }
                    lanes[lane] ^= word
                }
                Self.permute(lanes)
            }
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
    // Rotation offsets and lane order of the combined rho and pi steps.
    private static let rotations: [UInt64] = [1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44]
    private static let piLanes: [Int] = [10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1]

    @inline(__always)
    private static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 { (x << n) | (x >> (64 - n)) }

    private static func permute(_ a: UnsafeMutableBufferPointer<UInt64>) {
        var c = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        for round in 0..<24 {
            // theta
            c.0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20]
            c.1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21]
            c.2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22]
            c.3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23]
            c.4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24]
            let d0 = c.4 ^ rotl(c.1, 1), d1 = c.0 ^ rotl(c.2, 1), d2 = c.1 ^ rotl(c.3, 1)
            let d3 = c.2 ^ rotl(c.4, 1), d4 = c.3 ^ rotl(c.0, 1)
            for y in stride(from: 0, to: 25, by: 5) {
                a[y] ^= d0; a[y + 1] ^= d1; a[y + 2] ^= d2; a[y + 3] ^= d3; a[y + 4] ^= d4
            }
            // rho and pi
            var current = a[1]
            for i in 0..<24 {
                let j = piLanes[i]
                let next = a[j]
                a[j] = rotl(current, rotations[i])
                current = next
            }
            // chi
            for y in stride(from: 0, to: 25, by: 5) {
                let t0 = a[y], t1 = a[y + 1], t2 = a[y + 2], t3 = a[y + 3], t4 = a[y + 4]
                a[y] = t0 ^ (~t1 & t2)
                a[y + 1] = t1 ^ (~t2 & t3)
                a[y + 2] = t2 ^ (~t3 & t4)
                a[y + 3] = t3 ^ (~t4 & t0)
                a[y + 4] = t4 ^ (~t0 & t1)
            }
            // iota
            a[0] ^= roundConstants[round]
        }
    }
}
