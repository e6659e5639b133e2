namespace CleanCognito.Infrastructure.Cognito;

/// <summary>What checking one token found.</summary>
public enum TokenStatus
{
    Valid,

    /// <summary>Genuine and meant for us, but past <c>exp</c> (plus leeway): worth a refresh.</summary>
    Expired,

    /// <summary>Anything else: forged, malformed, for another pool or client, the wrong kind of token.</summary>
    Invalid,
}
