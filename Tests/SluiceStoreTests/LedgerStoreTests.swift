import Foundation
import SluiceCore
import Testing

/// The embedded ledger's tables on both stores: every write spends its nonce, checks what
/// must hold inside its transaction, and stores nothing when refused.
@Suite("The embedded ledger in the store (SQLite and PostgreSQL)")
struct LedgerStoreTests {
    let alice = EthereumAddress("0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1")!
    let bob = EthereumAddress("0x" + String(repeating: "b0", count: 20))!
    let nftAddress = EthereumAddress("0x" + String(repeating: "11", count: 20))!
    let token = EthereumAddress("0x" + String(repeating: "22", count: 20))!

    func published(_ store: any AnyStore) async throws -> DDO {
        var ddo = AssetSearchTests.ddo(AssetSearchTests.assets[0])
        ddo.nftAddress = nftAddress
        let nft = DataNFTRecord(address: nftAddress, owner: alice, name: "Data", symbol: "DN", created: 1_700_000_000)
        let dt = DatatokenRecord(address: token, nft: nftAddress, minter: alice, name: "DT", symbol: "DT1", serviceId: "1")
        try await store.publish(ddo, nft: nft, datatokens: [dt], authorizedBy: Authorization(signer: alice, nonce: Nonce(1)))
        return ddo
    }

    @Test(arguments: StoreKind.allCases) func publishingStoresTheAssetItsNFTAndItsDatatokens(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        let ddo = try await published(store)
        #expect(try await store.asset(ddo.id) == ddo)
        #expect(try await store.nft(nftAddress)?.owner == alice)
        #expect(try await store.datatoken(token)?.minter == alice)
        #expect(try await store.lastNonce(of: alice) == 1)
        // The same DID again: refused, and its nonce not spent.
        await #expect(throws: RequestError.self) {
            try await store.publish(ddo, nft: DataNFTRecord(address: bob, owner: alice, name: "n", symbol: "s", created: 1), datatokens: [],
                                    authorizedBy: Authorization(signer: alice, nonce: Nonce(2)))
        }
        #expect(try await store.lastNonce(of: alice) == 1)
        #expect(try await store.nft(bob) == nil)
        // Only the NFT's owner updates.
        var renamed = ddo
        renamed.metadata.name = "Renamed"
        await #expect(throws: RequestError.self) {
            try await store.update(renamed, newDatatokens: [], authorizedBy: Authorization(signer: bob, nonce: Nonce(1)))
        }
        try await store.update(renamed, newDatatokens: [], authorizedBy: Authorization(signer: alice, nonce: Nonce(2)))
        #expect(try await store.asset(ddo.id)?.metadata.name == "Renamed")
    }

    @Test(arguments: StoreKind.allCases) func tokensMoveOnlyAsFarAsBalancesGo(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        _ = try await published(store)
        let ten = try #require(TokenAmount.tokens(10)), three = try #require(TokenAmount.tokens(3))
        await #expect(throws: RequestError.self, "only the minter mints") {
            try await store.mint(datatoken: token, to: bob, amount: ten, authorizedBy: Authorization(signer: bob, nonce: Nonce(1)))
        }
        try await store.mint(datatoken: token, to: bob, amount: ten, authorizedBy: Authorization(signer: alice, nonce: Nonce(2)))
        try await store.transfer(token: token, to: alice, amount: three, authorizedBy: Authorization(signer: bob, nonce: Nonce(2)))
        #expect(try await store.balance(token: token, holder: bob) == TokenAmount.tokens(7))
        #expect(try await store.balance(token: token, holder: alice) == three)
        await #expect(throws: RequestError.self, "no overdraft") {
            try await store.transfer(token: token, to: alice, amount: ten, authorizedBy: Authorization(signer: bob, nonce: Nonce(3)))
        }
        #expect(try await store.balance(token: token, holder: bob) == TokenAmount.tokens(7))
        #expect(try await store.lastNonce(of: bob) == 2, "the refused transfer spent no nonce")
    }

    @Test(arguments: StoreKind.allCases) func anOrderPaysItsAmountAndFeeAndReadsBack(_ kind: StoreKind) async throws {
        let store = try await kind.open()
        _ = try await published(store)
        try await store.mint(datatoken: token, to: bob, amount: try #require(TokenAmount.tokens(5)),
                             authorizedBy: Authorization(signer: alice, nonce: Nonce(2)))
        let fee = ProviderFee(providerFeeAddress: alice, providerFeeToken: token, providerFeeAmount: TokenAmount(wei: 1000),
                              providerData: "0x", v: 27, r: "0x00", s: "0x00", validUntil: 0)
        let tx = "0x" + String(repeating: "ab", count: 32)
        let order = Order(transactionId: tx, datatoken: token, consumer: bob, payer: bob,
                          serviceIndex: 0, amount: try #require(TokenAmount.tokens(1)), providerFee: fee, timestamp: 1_700_000_100)
        try await store.placeOrder(order, paymentTo: alice, authorizedBy: Authorization(signer: bob, nonce: Nonce(1)))
        let stored = try #require(try await store.order(tx.uppercased().replacingOccurrences(of: "0X", with: "0x")))
        #expect(stored.transactionId == tx && stored.amount == order.amount && stored.providerFee == fee && stored.timestamp == 1_700_000_100)
        #expect(stored.consumer == bob)
        let left = try #require(TokenAmount.tokens(4)?.subtracting(TokenAmount(wei: 1000)))
        #expect(try await store.balance(token: token, holder: bob) == left)
    }

    /// Transfers racing on separate connections: those of one signer are serialised by its
    /// nonce, and credits to one holder from many signers are not lost.
    @Test(arguments: StoreKind.allCases) func concurrentTransfersLoseAndMakeNoTokens(_ kind: StoreKind) async throws {
        let stores = try await kind.openShared(pools: 3)
        let store = stores[0]
        _ = try await published(store)
        let senders = (1...8).map { EthereumAddress(String(format: "0x%040x", $0))! }
        for (i, sender) in senders.enumerated() {
            try await store.mint(datatoken: token, to: sender, amount: try #require(TokenAmount.tokens(2)),
                                 authorizedBy: Authorization(signer: alice, nonce: Nonce(UInt64(2 + i))))
        }
        let one = try #require(TokenAmount.tokens(1))
        let (token, bob) = (self.token, self.bob)
        // Made in each task, not captured: a UInt128 captured by an escaping async closure
        // crashes this toolchain (see SluicePostgres' CapturedAmount).
        // Each sender sends one token to bob twice at once, with the same nonce: one of the two passes.
        let moved = await withTaskGroup(of: Bool.self) { group in
            for (i, sender) in (senders + senders).enumerated() {
                let store = stores[i % stores.count]
                group.addTask {
                    do {
                        try await store.transfer(token: token, to: bob, amount: TokenAmount(wei: TokenAmount.weiPerToken),
                                                 authorizedBy: Authorization(signer: sender, nonce: Nonce(1)))
                        return true
                    } catch { return false }
                }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(moved == senders.count)
        #expect(try await store.balance(token: token, holder: bob) == TokenAmount.tokens(UInt64(senders.count)), "no credit lost")
        for sender in senders { #expect(try await store.balance(token: token, holder: sender) == one) }
    }
}
