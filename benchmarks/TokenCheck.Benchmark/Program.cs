using BenchmarkDotNet.Running;
using CleanCognito.TokenCheck.Benchmark;

// dotnet run -c Release --project benchmarks/TokenCheck.Benchmark -- --filter '*'   (BenchmarkDotNet, wall clock)
// dotnet run -c Release --project benchmarks/TokenCheck.Benchmark -- --filter '*TokenCacheHit*' --job short --inProcess   (one cache hit: hand-rolled against MemoryCache)
// dotnet run -c Release --project benchmarks/TokenCheck.Benchmark -- cpu            (the thread's own CPU time)
if (args is ["cpu"])
{
    await ThreadCpu.RunAsync();
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(CookiePairBenchmarks).Assembly).Run(args);
}
