// Benchmarks for `make bench`. Each prints figures; none asserts a target.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "crypto":
    CryptoBench.run()
case "startup":
    guard arguments.count >= 2 else {
        print("usage: SluiceBench startup <path to sluice>")
        exit(2)
    }
    StartupBench.run(sluice: arguments[1])
case "compute-http":
    guard arguments.count >= 2 else {
        print("usage: SluiceBench compute-http <path to sluice>")
        exit(2)
    }
    HTTPComputeBench.run(sluice: arguments[1])
case "engine":
    await runEngineBenchmarks()
    await runDockerEngineBenchmark()
case "engine-bubblewrap":
    await runEngineBenchmarks()
case "docker-engine":
    await runDockerEngineBenchmark()
case "store-growth":
    guard arguments.count > 1 else {
        print("usage: SluiceBench store-growth <path to sluice> [addresses] [jobs]")
        exit(2)
    }
    await StoreGrowthBench.run(sluice: arguments[1], addresses: arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000,
                               jobs: arguments.count > 3 ? Int(arguments[3]) ?? 100_000 : 100_000)
case "replicas":
    guard arguments.count > 1 else {
        print("usage: SluiceBench replicas <path to sluice>")
        exit(2)
    }
    ReplicaBench.run(sluice: arguments[1])
case "slurm":
    await runSlurmBenchmark()
case "search":
    do {
        try await SearchBench.run(count: arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000)
    } catch {
        print("search: failed: \(error)")
        exit(1)
    }
case "output-checks":
    do {
        try OutputChecksBench.run(mebibytes: arguments.count > 1 ? Int(arguments[1]) ?? 1024 : 1024)
    } catch {
        print("output-checks: failed: \(error)")
        exit(1)
    }
default:
    print("usage: SluiceBench crypto | startup <path to sluice> | compute-http <path to sluice> | store-growth <path to sluice> [addresses] [jobs] | replicas <path to sluice> | engine | docker-engine | slurm | search | output-checks [MiB]")
    exit(2)
}
