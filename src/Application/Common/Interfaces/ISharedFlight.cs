namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// Runs work once per key across every instance sharing the store; callers elsewhere wait for and read the winner's result.
/// Without a shared store (no <c>Redis:Configuration</c>) "every instance" is this process.
/// </summary>
/// <remarks>
/// A key reads <c>{use}:{id}</c>, e.g. <c>credentials:{identityId}</c>: the use names what is
/// shared (and, with Redis, the Data Protection purpose its results are encrypted with); the whole
/// key is hashed before it leaves the process, so it never appears in the store or a log. One key
/// always carries one result type. A failed work (an exception) is not remembered: the caller that
/// ran it sees the exception, and the next caller runs the work again.
/// </remarks>
public interface ISharedFlight
{
    Task<T> RunAsync<T>(string key, Func<CancellationToken, Task<SharedResult<T>>> work, CancellationToken cancellationToken);
}
