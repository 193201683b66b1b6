print("bench")
await runEngineBenchmarks()
