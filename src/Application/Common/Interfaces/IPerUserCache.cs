namespace CleanCognito.Application.Common.Interfaces;

/// <summary>Keeps state per user (such as exchanged AWS credentials) that must be dropped when the user signs out.</summary>
public interface IPerUserCache
{
    void Forget(string userId);
}
