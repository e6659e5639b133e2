namespace CleanCognito.Infrastructure.Cognito;

/// <summary>Which Cognito token a cookie should hold (its <c>token_use</c> claim).</summary>
public enum TokenUse
{
    Access,
    Id,
}
