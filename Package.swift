// swift-tools-version:6.0
import PackageDescription

// One target per part of the node. Dependencies point inward: SluiceCore knows
// nothing of the others; the application layer (SluiceApplication) knows the parts;
// the HTTP layer (SluiceProvider) knows the application, never the reverse.
// The upcoming-language features Hummingbird builds with, on every target of ours.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]
// Imports are internal unless a file's public API shows the module's types (then
// `public import`), so GRDB, NIO or swift-crypto do not leak into every module that
// imports ours. The HTTP layer and the CLI, which nothing imports, keep the default.
let innerSettings = strictSettings + [.enableUpcomingFeature("InternalImportsByDefault")]

let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
        .library(name: "SluiceClient", targets: ["SluiceClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // HTTPTypes (Hummingbird's request and response types), named by the HTTP layer.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        // HTTPRequestPart and its HTTP/1 codec's errors, for the node's edge handler.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        // The PostgreSQL store's client (SluicePostgres).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
        // TLS contexts for the PostgreSQL store's first connection (postgres-nio builds on it).
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.25.0"),
        // The node's metrics: the swift-metrics API, kept in a Prometheus registry per node.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        // The operator's dashboard: server-rendered templates.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // libsecp256k1 from Debian's libsecp256k1-dev (built with the recovery module).
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        // liblzma from Debian's liblzma-dev: the xz-compressed DDOs Ocean's clients publish.
        .systemLibrary(
            name: "CLZMA",
            pkgConfig: "liblzma",
            providers: [.apt(["liblzma-dev"])]
        ),
        // One inline function around the compiler's prefetch: the verbatim index asks for
        // a batch's cache lines before it reads any of them.
        .systemLibrary(name: "CPrefetch"),
        .target(
            name: "SluiceCore",
            swiftSettings: innerSettings
        ),
        .target(
            name: "SluiceCrypto",
            dependencies: [
                "SluiceCore",
                "CSecp256k1",
                // SHA-256, HKDF and AES-GCM (BoringSSL on Linux).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: innerSettings
        ),
        .target(
            name: "SluiceStore",
            dependencies: [
                "SluiceCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: innerSettings
        ),
        // The same store protocols over PostgreSQL (`database: "postgres://..."`).
        .target(
            name: "SluicePostgres",
            dependencies: [
                "SluiceCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: innerSettings
        ),
        .target(
            name: "SluiceLedger",
            dependencies: ["SluiceCore", "SluiceCrypto"],
            swiftSettings: innerSettings
        ),
        // EVM chains: RLP, ABI, signed transactions, JSON-RPC, the EVM ledger and the
        // metadata indexer.
        .target(
            name: "SluiceEVM",
            dependencies: [
                "SluiceCore",
                "SluiceCrypto",
                "CLZMA",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: innerSettings
        ),
        // The output checks of status 50: content types, table rules and the verbatim
        // search, as pure rules over facts one read of each file gathers.
        .target(
            name: "SluiceOutputChecks",
            dependencies: ["SluiceCore", "CPrefetch"],
            swiftSettings: innerSettings
        ),
        .target(
            name: "SluiceEngine",
            dependencies: [
                "SluiceCore",
                "SluiceCrypto",
                "SluiceOutputChecks",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // The Docker-API backend's client (unix sockets via http+unix://).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: innerSettings
        ),
        // The application layer: the node's use cases (compute start, job queries), its
        // signed-request rules and its assembly from the parts. Knows no HTTP.
        .target(
            name: "SluiceApplication",
            dependencies: [
                "SluiceCore",
                "SluiceCrypto",
                "SluiceStore",
                "SluicePostgres",
                "SluiceLedger",
                "SluiceEngine",
                "SluiceEVM",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: innerSettings
        ),
        // The HTTP layer: routes decode a request, call the application, render the answer.
        .target(
            name: "SluiceProvider",
            dependencies: [
                "SluiceApplication",
                "SluiceCore",
                "SluiceCrypto",
                "SluiceLedger",
                "SluiceEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: innerSettings
        ),
        // The Swift SDK: wallets, publishing, tokens and compute against a node over HTTP.
        .target(
            name: "SluiceClient",
            dependencies: [
                "SluiceCore",
                "SluiceCrypto",
                "SluiceEVM",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                // scrypt, PBKDF2 and AES-CTR for Ethereum's keystore format.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "SluiceCore",
                "SluiceClient",
                "SluiceApplication",
                "SluiceProvider",
                "SluiceCrypto",
                "SluiceEVM",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Helpers shared by the test targets: runtimes, fixtures, and the fakes behind the
        // seams (an in-memory store, a scripted sandbox backend).
        .target(
            name: "SluiceTesting",
            dependencies: ["SluiceCore", "SluiceEngine", .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // The EVM harness (Ocean's contracts on py-evm) for the EVM and provider tests.
        .target(name: "SluiceEVMTesting", dependencies: ["SluiceCore", "SluiceCrypto", "SluiceEVM"], swiftSettings: strictSettings),
        // Benchmarks: `make bench` runs this in release mode; never part of `make test`.
        .executableTarget(
            name: "SluiceBench",
            dependencies: [
                "SluiceCore", "SluiceCrypto", "CSecp256k1", "SluiceEngine", "SluiceStore", "SluiceOutputChecks",
                "SluicePostgres", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SluiceCoreTests", dependencies: ["SluiceCore"], swiftSettings: strictSettings),
        .testTarget(name: "SluiceOutputChecksTests", dependencies: ["SluiceOutputChecks", "SluiceCore"],
                    exclude: ["Fixtures"], swiftSettings: strictSettings),
        // The fast suite (`make unit`): use cases on the fakes, no bubblewrap, chain or HTTP.
        .testTarget(
            name: "SluiceApplicationTests",
            dependencies: ["SluiceApplication", "SluiceCore", "SluiceCrypto", "SluiceEngine", "SluiceLedger", "SluiceStore",
                           "SluiceTesting", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SluiceCryptoTests", dependencies: ["SluiceCrypto", "SluiceCore"], exclude: ["Fixtures"], swiftSettings: strictSettings),
        .testTarget(
            name: "SluiceStoreTests",
            dependencies: ["SluiceStore", "SluicePostgres", "SluiceCore", "SluiceTesting", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "SluiceLedgerTests", dependencies: ["SluiceLedger", "SluiceCore", "SluiceCrypto"], swiftSettings: strictSettings),
        .testTarget(
            name: "SluiceEVMTests",
            dependencies: ["SluiceEVM", "SluiceEVMTesting", "SluiceCore", "SluiceCrypto", "SluiceStore", "SluiceLedger"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceEngineTests",
            dependencies: ["SluiceEngine", "SluiceCore", "SluiceCrypto", "SluiceStore", "SluicePostgres", "SluiceTesting", "SluiceOutputChecks",
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceCLITests",
            dependencies: ["sluice", "SluiceCore", "SluiceCrypto", "SluiceClient", "SluiceEVM", "SluiceEVMTesting", "SluiceTesting"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SluiceProviderTests",
            dependencies: [
                "SluiceProvider",
                "SluiceApplication",
                "SluiceCore",
                "SluiceCrypto",
                "SluiceEngine",
                "SluiceLedger",
                "SluiceStore",
                "SluicePostgres",
                "SluiceEVM",
                "SluiceTesting",
                "SluiceEVMTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
