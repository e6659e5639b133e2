namespace CleanCognito.Application.Common.Interfaces;

/// <summary>The work's result and how long other callers may reuse it (zero = hand it to current waiters only).</summary>
/// <param name="Value">The result; may be null (e.g. "the refresh was refused").</param>
/// <param name="ReuseFor">How long a caller arriving after the work finished still gets this value instead of running it again.</param>
public readonly record struct SharedResult<T>(T Value, TimeSpan ReuseFor);
