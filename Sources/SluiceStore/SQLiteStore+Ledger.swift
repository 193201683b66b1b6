import Foundation
import GRDB
public import SluiceCore

extension SQLiteStore: EmbeddedLedgerStore {
    public func publish(_ ddo: DDO, nft: DataNFTRecord, datatokens: [DatatokenRecord], authorizedBy auth: Authorization) async throws {
        let json = try Self.encode(ddo)
        try await writer.write { db in
            try Self.consume(db, auth.nonce, auth.signer)
            if try Self.asset(db, ddo.id) != nil {
                throw RequestError.conflict("an asset with DID \(ddo.id) already exists", field: "did")
            }
            try db.execute(sql: "INSERT INTO nft (address, owner, name, symbol, created) VALUES (?, ?, ?, ?, ?)",
                           arguments: [nft.address.lowercased, nft.owner.lowercased, nft.name, nft.symbol, nft.created])
            for dt in datatokens { try Self.insert(db, dt) }
            try db.execute(sql: "INSERT INTO asset (did, nftAddress, ddo, created, updated) VALUES (?, ?, ?, ?, ?)",
                           arguments: [ddo.id.text, nft.address.lowercased, json, nft.created, nft.created])
            try Self.indexForSearch(db, did: ddo.id, json: json)
        }
    }

    public func update(_ ddo: DDO, newDatatokens: [DatatokenRecord], authorizedBy auth: Authorization) async throws {
        let json = try Self.encode(ddo)
        try await writer.write { db in
            try Self.consume(db, auth.nonce, auth.signer)
            guard let row = try Row.fetchOne(db, sql: "SELECT nftAddress FROM asset WHERE did = ?", arguments: [ddo.id.text]),
                  let nftText: String = row["nftAddress"], let nftAddress = EthereumAddress(nftText),
                  let nft = try Self.nft(db, nftAddress) else {
                throw RequestError.notFound("no asset with DID \(ddo.id)", field: "did")
            }
            guard nft.owner == auth.signer else {
                throw RequestError.forbidden("only the owner of the asset's data NFT may update it", field: "address")
            }
            for dt in newDatatokens { try Self.insert(db, dt) }
            try db.execute(sql: "UPDATE asset SET ddo = ?, updated = ? WHERE did = ?",
                           arguments: [json, Int(Date().timeIntervalSince1970), ddo.id.text])
            try Self.indexForSearch(db, did: ddo.id, json: json)
        }
    }

    public func nft(_ address: EthereumAddress) async throws -> DataNFTRecord? {
        try await writer.read { db in try Self.nft(db, address) }
    }

    public func datatoken(_ address: EthereumAddress) async throws -> DatatokenRecord? {
        try await writer.read { db in try Self.datatoken(db, address) }
    }

    public func mint(datatoken: EthereumAddress, to: EthereumAddress, amount: TokenAmount, authorizedBy auth: Authorization) async throws {
        try await writer.write { db in
            try Self.consume(db, auth.nonce, auth.signer)
            guard let token = try Self.datatoken(db, datatoken) else {
                throw RequestError.notFound("no datatoken \(datatoken)", field: "datatoken")
            }
            guard token.minter == auth.signer else {
                throw RequestError.forbidden("only the datatoken's minter may mint it", field: "address")
            }
            try Self.credit(db, token: datatoken, holder: to, amount: amount)
        }
    }

    public func transfer(token: EthereumAddress, to: EthereumAddress, amount: TokenAmount, authorizedBy auth: Authorization) async throws {
        try await writer.write { db in
            try Self.consume(db, auth.nonce, auth.signer)
            try Self.debit(db, token: token, holder: auth.signer, amount: amount)
            try Self.credit(db, token: token, holder: to, amount: amount)
        }
    }

    public func balance(token: EthereumAddress, holder: EthereumAddress) async throws -> TokenAmount {
        try await writer.read { db in try Self.balance(db, token, holder) }
    }

    public func placeOrder(_ order: Order, paymentTo: EthereumAddress, authorizedBy auth: Authorization) async throws {
        let feeJSON = String(decoding: try JSONEncoder().encode(order.providerFee), as: UTF8.self)
        try await writer.write { db in
            try Self.consume(db, auth.nonce, auth.signer)
            let datatoken = order.datatoken
            if order.amount > .zero {
                try Self.debit(db, token: datatoken, holder: auth.signer, amount: order.amount)
                try Self.credit(db, token: datatoken, holder: paymentTo, amount: order.amount)
            }
            let fee = order.providerFee
            if fee.providerFeeAmount > .zero {
                try Self.debit(db, token: fee.providerFeeToken, holder: auth.signer, amount: fee.providerFeeAmount)
                try Self.credit(db, token: fee.providerFeeToken, holder: fee.providerFeeAddress, amount: fee.providerFeeAmount)
            }
            try db.execute(sql: """
                INSERT INTO tokenOrder (transactionId, reusedOrderId, datatoken, consumer, payer, serviceIndex, amount, providerFee, timestamp)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [order.transactionId, order.reusedOrderId, datatoken.lowercased, order.consumer.lowercased,
                                 order.payer.lowercased, order.serviceIndex, order.amount.description, feeJSON, order.timestamp])
        }
    }

    public func order(_ transactionId: String) async throws -> Order? {
        try await writer.read { db in try Self.order(db, transactionId.lowercased()) }
    }

    // MARK: - Inside a transaction

    static func order(_ db: Database, _ transactionId: String) throws -> Order? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tokenOrder WHERE transactionId = ?", arguments: [transactionId]) else {
            return nil
        }
        let feeText: String = row["providerFee"]
        let amountText: String = row["amount"]
        guard let datatoken = EthereumAddress(row["datatoken"] as String), let consumer = EthereumAddress(row["consumer"] as String),
              let payer = EthereumAddress(row["payer"] as String) else { return nil }
        return Order(
            transactionId: row["transactionId"], reusedOrderId: row["reusedOrderId"], datatoken: datatoken,
            consumer: consumer, payer: payer, serviceIndex: row["serviceIndex"],
            amount: TokenAmount(weiText: amountText) ?? .zero,
            providerFee: try JSONDecoder().decode(ProviderFee.self, from: Data(feeText.utf8)),
            timestamp: row["timestamp"])
    }

    static func nft(_ db: Database, _ address: EthereumAddress) throws -> DataNFTRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM nft WHERE address = ?", arguments: [address.lowercased]),
              let owner = EthereumAddress(row["owner"] as String) else { return nil }
        return DataNFTRecord(address: address, owner: owner, name: row["name"], symbol: row["symbol"], created: row["created"])
    }

    static func datatoken(_ db: Database, _ address: EthereumAddress) throws -> DatatokenRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM datatoken WHERE address = ?", arguments: [address.lowercased]),
              let nft = EthereumAddress(row["nft"] as String), let minter = EthereumAddress(row["minter"] as String) else { return nil }
        return DatatokenRecord(address: address, nft: nft, minter: minter, name: row["name"], symbol: row["symbol"], serviceId: row["serviceId"])
    }

    static func insert(_ db: Database, _ dt: DatatokenRecord) throws {
        try db.execute(sql: "INSERT INTO datatoken (address, nft, minter, name, symbol, serviceId) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [dt.address.lowercased, dt.nft.lowercased, dt.minter.lowercased, dt.name, dt.symbol, dt.serviceId])
    }

    static func balance(_ db: Database, _ token: EthereumAddress, _ holder: EthereumAddress) throws -> TokenAmount {
        let text = try String.fetchOne(db, sql: "SELECT amount FROM balance WHERE token = ? AND holder = ?",
                                       arguments: [token.lowercased, holder.lowercased])
        return text.flatMap { TokenAmount(weiText: $0) } ?? .zero
    }

    static func setBalance(_ db: Database, _ token: EthereumAddress, _ holder: EthereumAddress, _ amount: TokenAmount) throws {
        try db.execute(sql: """
            INSERT INTO balance (token, holder, amount) VALUES (?, ?, ?)
            ON CONFLICT(token, holder) DO UPDATE SET amount = excluded.amount
            """, arguments: [token.lowercased, holder.lowercased, amount.description])
    }

    static func debit(_ db: Database, token: EthereumAddress, holder: EthereumAddress, amount: TokenAmount) throws {
        let has = try balance(db, token, holder)
        guard let left = has.subtracting(amount) else {
            throw RequestError.badRequest("balance of \(holder.lowercased) in token \(token.lowercased) is \(has) wei, less than the \(amount) wei needed", field: "amount")
        }
        try setBalance(db, token, holder, left)
    }

    static func credit(_ db: Database, token: EthereumAddress, holder: EthereumAddress, amount: TokenAmount) throws {
        guard let total = try balance(db, token, holder).adding(amount) else {
            throw RequestError.badRequest("the amount would overflow the holder's balance", field: "amount")
        }
        try setBalance(db, token, holder, total)
    }
}
