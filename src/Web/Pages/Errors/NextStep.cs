namespace CleanCognito.Web.Pages.Errors;

/// <summary>One link the error page offers: what to do next, where it goes, and a stable id for tests.</summary>
public sealed record NextStep(string Text, string Href, string Id);
