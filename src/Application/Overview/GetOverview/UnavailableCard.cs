namespace CleanCognito.Application.Overview.GetOverview;

/// <summary>
/// A home-page card shown as unavailable, and why: the page still answers 200, so the Web layer
/// writes the failed call's one Warning line from this (upstream, kind, correlation id), as it does
/// for a page that answers 503.
/// </summary>
/// <param name="Upstream">Which upstream failed, as <c>UpstreamUnavailableException.Service</c> names it.</param>
/// <param name="Cause">The failure: an upstream's exception, or the cancellation of a card over its budget.</param>
public sealed record UnavailableCard(string Upstream, Exception Cause);
