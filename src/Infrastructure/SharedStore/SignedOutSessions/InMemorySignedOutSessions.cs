using System.Collections.Concurrent;
using CleanCognito.Application.Common.Interfaces;

namespace CleanCognito.Infrastructure.SharedStore.SignedOutSessions;

/// <summary>
/// The denylist inside one process: the embedded default (without a shared store it is the whole
/// denylist of this instance) and the per-request mirror of the shared one. Bounded by time: an
/// entry counts until its expiry and is swept at most a minute later, so it never holds more than
/// the sessions signed out within one token lifetime.
/// </summary>
public sealed class InMemorySignedOutSessions(TimeProvider time) : ISignedOutSessions
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <summary>How many entries are held, expired ones not yet swept included.</summary>
    public int Count => _until.Count;

    public bool Contains(string id)
    {
        // A lock-free read, and the clock only on a hit: this runs on every request. (IsEmpty and
        // Count would take every lock of the dictionary.) Sweeping happens on writes.
        return _until.TryGetValue(id, out var until) && until > time.GetUtcNow();
    }

    public Task AddAsync(SignedOutSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        Remember(session.Ids, session.Until);
        return Task.CompletedTask;
    }

    /// <summary>Adds <paramref name="ids"/> until <paramref name="until"/>; an id already held keeps the later expiry.</summary>
    public void Remember(IEnumerable<string> ids, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var now = time.GetUtcNow();
        SweepIfDue(now);
        if (until <= now)
        {
            return;
        }

        foreach (var id in ids)
        {
            _until.AddOrUpdate(id, until, (_, held) => held > until ? held : until);
        }
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, next) != next)
        {
            return;
        }

        foreach (var (id, until) in _until)
        {
            if (until <= now)
            {
                _until.TryRemove(new KeyValuePair<string, DateTimeOffset>(id, until));
            }
        }
    }
}
