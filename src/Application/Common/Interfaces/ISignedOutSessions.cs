namespace CleanCognito.Application.Common.Interfaces;

/// <summary>
/// Sessions ended by sign-out, remembered until their tokens expire, so that cookies copied before
/// the sign-out are refused on this instance and, with a shared store, on every other instance.
/// Rules for what to record and what to check: <see cref="Sessions.SessionSignOut"/>.
/// </summary>
public interface ISignedOutSessions
{
    /// <summary>
    /// Whether <paramref name="id"/> (an <c>origin_jti</c>, a <c>jti</c> or a refresh token's id) was
    /// signed out and has not expired. Reads memory only: it runs on every request.
    /// </summary>
    bool Contains(string id);

    /// <summary>
    /// Remembers <paramref name="session"/> until <see cref="SignedOutSession.Until"/>. Returns once every
    /// instance sharing the store can see it; when the store cannot be reached, once this instance
    /// refuses it (the write is retried when the store returns). Never throws for an unreachable store.
    /// </summary>
    Task AddAsync(SignedOutSession session, CancellationToken cancellationToken);
}
