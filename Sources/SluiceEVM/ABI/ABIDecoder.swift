import SluiceCore

/// Reads what `ABIEncoder` writes, refusing offsets and lengths that point outside the data
/// (event data comes from the chain, but a hostile contract chooses it).
public enum ABIDecoder {
    public static func decode(_ types: [ABIType], from data: [UInt8]) throws(ABIError) -> [ABIValue] {
        try decodeTuple(types, data[...], base: 0)
    }

    static func decodeTuple(_ types: [ABIType], _ data: ArraySlice<UInt8>, base: Int) throws(ABIError) -> [ABIValue] {
        var values: [ABIValue] = []
        var headOffset = base
        for type in types {
            if type.isDynamic {
                let offset = try integer(data, at: headOffset, what: "an offset")
                guard base + offset <= data.endIndex else { throw .invalid("offset \(offset) out of range") }
                values.append(try decodeValue(type, data, at: base + offset))
                headOffset += 32
            } else {
                values.append(try decodeValue(type, data, at: headOffset))
                headOffset += type.headSize
            }
        }
        return values
    }

    static func decodeValue(_ type: ABIType, _ data: ArraySlice<UInt8>, at offset: Int) throws(ABIError) -> ABIValue {
        switch type {
        case .uint(let bits):
            let w = try word(data, at: offset, what: "uint\(bits)")
            guard bits == 256 || w.prefix((256 - bits) / 8).allSatisfy({ $0 == 0 }) else { throw .invalid("uint\(bits) out of range") }
            return .uint(UInt256(word: w) ?? .zero)
        case .address:
            let w = try word(data, at: offset, what: "an address")
            guard w.prefix(12).allSatisfy({ $0 == 0 }) else { throw .invalid("address with dirty high bytes") }
            return .address(EthereumAddress(suffixOf: w))
        case .bool:
            let w = try word(data, at: offset, what: "a bool")
            guard w.prefix(31).allSatisfy({ $0 == 0 }), w[31] <= 1 else { throw .invalid("bool not 0 or 1") }
            return .bool(w[31] == 1)
        case .fixedBytes(let n):
            return .fixedBytes(Array(try word(data, at: offset, what: "bytes\(n)").prefix(n)))
        case .bytes:
            return .bytes(try dynamicBytes(data, at: offset))
        case .string:
            let b = try dynamicBytes(data, at: offset)
            guard let s = String(validating: b, as: UTF8.self) else { throw .invalid("string is not UTF-8") }
            return .string(s)
        case .array(let element):
            let count = try integer(data, at: offset, what: "an array length")
            guard count <= (data.endIndex - offset) / 32 else { throw .invalid("array length \(count) out of range") }
            return .array(try decodeTuple([ABIType](repeating: element, count: count), data, base: offset + 32))
        case .tuple(let parts):
            return .tuple(try decodeTuple(parts, data, base: offset))
        }
    }

    static func word(_ data: ArraySlice<UInt8>, at offset: Int, what: String) throws(ABIError) -> [UInt8] {
        guard offset >= data.startIndex, offset + 32 <= data.endIndex else { throw .truncated(what) }
        return Array(data[offset..<offset + 32])
    }

    static func integer(_ data: ArraySlice<UInt8>, at offset: Int, what: String) throws(ABIError) -> Int {
        guard let v = UInt256(word: try word(data, at: offset, what: what))?.int, v <= Int(Int32.max) else {
            throw .invalid("\(what) too large")
        }
        return v
    }

    static func dynamicBytes(_ data: ArraySlice<UInt8>, at offset: Int) throws(ABIError) -> [UInt8] {
        let length = try integer(data, at: offset, what: "a length")
        let start = offset + 32
        guard start + length <= data.endIndex else { throw .truncated("\(length) bytes") }
        return Array(data[start..<start + length])
    }
}
