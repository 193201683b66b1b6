import Foundation
import Logging
import PostgresNIO
public import SluiceCore

/// The embedded ledger's writes: each consumes its nonce and checks what must hold in one
/// transaction. Balances are read `FOR UPDATE`, so two transfers from one holder on two
/// connections cannot both spend the same tokens.
extension PostgresStore: EmbeddedLedgerStore {
    public func publish(_ ddo: DDO, nft: DataNFTRecord, datatokens: [DatatokenRecord], authorizedBy auth: Authorization) async throws {
        let json = try Self.encode(ddo)
        try await transaction { connection in
            let logger = self.logger
            try await Self.consume(connection, auth.nonce, auth.signer, logger: logger)
            if try await Self.asset(connection, ddo.id, logger: logger) != nil {
                throw RequestError.conflict("an asset with DID \(ddo.id) already exists", field: "did")
            }
            try await connection.query("""
                INSERT INTO nft (address, owner, name, symbol, created)
                VALUES (\(nft.address.lowercased), \(nft.owner.lowercased), \(nft.name), \(nft.symbol), \(nft.created))
                """, logger: logger)
            for dt in datatokens { try await Self.insert(connection, dt, logger: logger) }
            do {
                try await connection.query(#"""
                    INSERT INTO asset (did, "nftAddress", ddo, created, updated)
                    VALUES (\#(ddo.id.text), \#(nft.address.lowercased), \#(json), \#(nft.created), \#(nft.created))
                    """#, logger: logger)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw {
                // Published at the same moment by another connection.
                throw RequestError.conflict("an asset with DID \(ddo.id) already exists", field: "did")
            }
            try await Self.indexForSearch(connection, did: ddo.id, json: json, logger: logger)
        }
    }

    public func update(_ ddo: DDO, newDatatokens: [DatatokenRecord], authorizedBy auth: Authorization) async throws {
        let json = try Self.encode(ddo)
        try await transaction { connection in
            let logger = self.logger
            try await Self.consume(connection, auth.nonce, auth.signer, logger: logger)
            var nftText: String?
            let rows = try await connection.query(#"SELECT "nftAddress" FROM asset WHERE did = \#(ddo.id.text) FOR UPDATE"#, logger: logger)
            for try await text in rows.decode(String.self) { nftText = text }
            guard let nftText, let nftAddress = EthereumAddress(nftText),
                  let nft = try await Self.nft(connection, nftAddress, logger: logger) else {
                throw RequestError.notFound("no asset with DID \(ddo.id)", field: "did")
            }
            guard nft.owner == auth.signer else {
                throw RequestError.forbidden("only the owner of the asset's data NFT may update it", field: "address")
            }
            for dt in newDatatokens { try await Self.insert(connection, dt, logger: logger) }
            try await connection.query("""
                UPDATE asset SET ddo = \(json), updated = \(Int(Date().timeIntervalSince1970)) WHERE did = \(ddo.id.text)
                """, logger: logger)
            try await Self.indexForSearch(connection, did: ddo.id, json: json, logger: logger)
        }
    }

    public func nft(_ address: EthereumAddress) async throws -> DataNFTRecord? {
        try await client.withConnection { connection in try await Self.nft(connection, address, logger: self.logger) }
    }

    public func datatoken(_ address: EthereumAddress) async throws -> DatatokenRecord? {
        try await client.withConnection { connection in try await Self.datatoken(connection, address, logger: self.logger) }
    }

    public func mint(datatoken: EthereumAddress, to: EthereumAddress, amount: TokenAmount, authorizedBy auth: Authorization) async throws {
        let captured = CapturedAmount(amount)
        try await transaction { connection in
            let amount = captured.amount
            let logger = self.logger
            try await Self.consume(connection, auth.nonce, auth.signer, logger: logger)
            guard let token = try await Self.datatoken(connection, datatoken, logger: logger) else {
                throw RequestError.notFound("no datatoken \(datatoken)", field: "datatoken")
            }
            guard token.minter == auth.signer else {
                throw RequestError.forbidden("only the datatoken's minter may mint it", field: "address")
            }
            try await Self.credit(connection, token: datatoken, holder: to, amount: amount, logger: logger)
        }
    }

    public func transfer(token: EthereumAddress, to: EthereumAddress, amount: TokenAmount, authorizedBy auth: Authorization) async throws {
        let captured = CapturedAmount(amount)
        try await transaction { connection in
            let amount = captured.amount
            let logger = self.logger
            try await Self.consume(connection, auth.nonce, auth.signer, logger: logger)
            try await Self.debit(connection, token: token, holder: auth.signer, amount: amount, logger: logger)
            try await Self.credit(connection, token: token, holder: to, amount: amount, logger: logger)
        }
    }

    public func balance(token: EthereumAddress, holder: EthereumAddress) async throws -> TokenAmount {
        try await client.withConnection { connection in
            try await Self.balance(connection, token, holder, locking: false, logger: self.logger)
        }
    }

    public func placeOrder(_ order: Order, paymentTo: EthereumAddress, authorizedBy auth: Authorization) async throws {
        let fee = String(decoding: try JSONEncoder().encode(order.providerFee), as: UTF8.self)
        let datatoken = order.datatoken
        // What the transaction needs of the order, without its amounts (see CapturedAmount).
        let row = OrderRow(order, datatoken: datatoken, fee: fee)
        let amount = CapturedAmount(order.amount)
        var feePayment: (token: EthereumAddress, to: EthereumAddress, amount: CapturedAmount)?
        let orderFee = order.providerFee
        if orderFee.providerFeeAmount > .zero {
            feePayment = (orderFee.providerFeeToken, orderFee.providerFeeAddress, CapturedAmount(orderFee.providerFeeAmount))
        }
        let providerFee = feePayment
        try await transaction { connection in
            let logger = self.logger
            try await Self.consume(connection, auth.nonce, auth.signer, logger: logger)
            let paid = amount.amount
            if paid > .zero {
                try await Self.debit(connection, token: datatoken, holder: auth.signer, amount: paid, logger: logger)
                try await Self.credit(connection, token: datatoken, holder: paymentTo, amount: paid, logger: logger)
            }
            if let providerFee {
                let feeAmount = providerFee.amount.amount
                try await Self.debit(connection, token: providerFee.token, holder: auth.signer, amount: feeAmount, logger: logger)
                try await Self.credit(connection, token: providerFee.token, holder: providerFee.to, amount: feeAmount, logger: logger)
            }
            try await connection.query(#"""
                INSERT INTO "tokenOrder" ("transactionId", "reusedOrderId", datatoken, consumer, payer, "serviceIndex", amount,
                                          "providerFee", timestamp)
                VALUES (\#(row.transactionId), \#(row.reusedOrderId), \#(row.datatoken), \#(row.consumer),
                        \#(row.payer), \#(row.serviceIndex), \#(row.amount), \#(row.fee), \#(row.timestamp))
                """#, logger: logger)
        }
    }

    public func order(_ transactionId: String) async throws -> Order? {
        let rows = try await client.query(#"""
            SELECT "transactionId", "reusedOrderId", datatoken, consumer, payer, "serviceIndex", amount, "providerFee", timestamp
            FROM "tokenOrder" WHERE "transactionId" = \#(transactionId.lowercased())
            """#, logger: logger)
        for try await (id, reused, datatoken, consumer, payer, serviceIndex, amount, fee, timestamp)
            in rows.decode((String, String?, String, String, String, Int, String, String, Int).self) {
            guard let datatoken = EthereumAddress(datatoken), let consumer = EthereumAddress(consumer),
                  let payer = EthereumAddress(payer) else { return nil }
            return Order(
                transactionId: id, reusedOrderId: reused, datatoken: datatoken, consumer: consumer, payer: payer,
                serviceIndex: serviceIndex, amount: TokenAmount(weiText: amount) ?? .zero,
                providerFee: try JSONDecoder().decode(ProviderFee.self, from: Data(fee.utf8)), timestamp: timestamp)
        }
        return nil
    }
}

/// An order's columns of `tokenOrder`, as text and integers.
struct OrderRow: Sendable {
    let transactionId: String
    let reusedOrderId: String?
    let datatoken: String
    let consumer: String
    let payer: String
    let serviceIndex: Int
    let amount: String
    let fee: String
    let timestamp: Int

    init(_ order: Order, datatoken: EthereumAddress, fee: String) {
        transactionId = order.transactionId
        reusedOrderId = order.reusedOrderId
        self.datatoken = datatoken.lowercased
        consumer = order.consumer.lowercased
        payer = order.payer.lowercased
        serviceIndex = order.serviceIndex
        amount = order.amount.description
        self.fee = fee
        timestamp = order.timestamp
    }
}
