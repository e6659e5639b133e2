using CleanCognito.TestSupport;
using CleanCognito.TestSupport.Instances;

namespace CleanCognito.Instances.Tests;

/// <summary>
/// Every test of this assembly shares one balanced set-up (stand-ins, Redis, two instances, nginx),
/// one test at a time: the counters each test reads at the stand-ins are its own.
/// </summary>
[CollectionDefinition(LocalAwsGroup.Name)]
public sealed class LocalAwsCollectionDefinition : ICollectionFixture<BalancedApp>;
