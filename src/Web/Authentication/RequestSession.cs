namespace CleanCognito.Web.Authentication;

/// <summary>
/// The request's session and the cookies it owes the browser, kept as one request feature.
/// A handler may call several upstreams at once, and any of them may renew the session (AppSync's
/// 401): the renewal replaces the tokens here, under a lock, and never touches the response. The
/// cookies are written by one <see cref="HttpResponse.OnStarting(Func{Task})"/> callback, with
/// whatever the session is when the response starts (the last word wins: a refresh, then a
/// sign-out, clears). This is Duende.AccessTokenManagement's shape: the renewal replaces the token
/// the request holds; the response is written once, when nothing else is in flight.
/// </summary>
internal sealed class RequestSession : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TokenCookies _cookies;
    private CognitoSession? _session;
    private CookieUpdate? _pending;
    private bool _callbackRegistered;

    private RequestSession(TokenCookies cookies) => _cookies = cookies;

    /// <summary>One at a time per request: a second caller waiting here finds the session already renewed.</summary>
    public SemaphoreSlim Renewal { get; } = new(1, 1);

    /// <summary>The current session (null: none, or it ended).</summary>
    public CognitoSession? Session
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    /// <summary>
    /// The request's holder, created on first use. Authentication runs before anything else can
    /// reach it (one thread), so the creation never races; later readers only read.
    /// </summary>
    public static RequestSession Of(HttpContext context, TokenCookies cookies)
    {
        var existing = context.Features.Get<RequestSession>();
        if (existing is not null)
        {
            return existing;
        }

        var created = new RequestSession(cookies);
        context.Features.Set(created);
        context.Response.RegisterForDispose(created);
        return created;
    }

    /// <summary>The holder if authentication created one; read-only callers (upstream calls) use this.</summary>
    public static RequestSession? Find(HttpContext context) => context.Features.Get<RequestSession>();

    /// <summary>Replaces the session; the cookies follow when the response starts (null <paramref name="refreshToken"/>: keep the refresh cookie).</summary>
    public void Replace(HttpContext context, CognitoSession session, string? refreshToken)
    {
        lock (_gate)
        {
            _session = session;
            _pending = new CookieUpdate(session.Tokens.AccessToken, session.Tokens.IdToken, refreshToken, Clear: false);
            EnsureCallback(context);
        }
    }

    /// <summary>Sets the session read from the cookies as they are (nothing to write back).</summary>
    public void Keep(CognitoSession session)
    {
        lock (_gate)
        {
            _session = session;
        }
    }

    /// <summary>Ends the session and clears the cookies when the response starts.</summary>
    public void End(HttpContext context)
    {
        lock (_gate)
        {
            _session = null;
            _pending = new CookieUpdate(null, null, null, Clear: true);
            EnsureCallback(context);
        }
    }

    private void EnsureCallback(HttpContext context)
    {
        if (_callbackRegistered || context.Response.HasStarted)
        {
            // Started already (a streamed answer): the browser keeps its cookies, which the shared
            // refresh result (SessionRefresher.ReuseWindow) and the sign-out list still handle.
            return;
        }

        _callbackRegistered = true;
        context.Response.OnStarting(() =>
        {
            CookieUpdate? update;
            lock (_gate)
            {
                update = _pending;
                _pending = null;
            }

            if (update is { Clear: true })
            {
                _cookies.Clear(context.Response);
            }
            else if (update is not null)
            {
                _cookies.Write(context.Response, update.AccessToken!, update.IdToken!, update.RefreshToken);
            }

            return Task.CompletedTask;
        });
    }

    public void Dispose() => Renewal.Dispose();

    private sealed record CookieUpdate(string? AccessToken, string? IdToken, string? RefreshToken, bool Clear);
}
