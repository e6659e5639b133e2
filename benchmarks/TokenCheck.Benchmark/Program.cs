using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/TokenCheck.Benchmark -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(CleanCognito.TokenCheck.Benchmark.CookiePairBenchmarks).Assembly).Run(args);
