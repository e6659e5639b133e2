using System.Security.Cryptography;
using CleanCognito.Application.Common.Exceptions;
using CleanCognito.Domain.Notes;
using Microsoft.AspNetCore.DataProtection;

namespace CleanCognito.Infrastructure.Notes;

/// <summary>
/// The list's continuation token: the id of the last note shown, encrypted and signed with Data
/// Protection under a purpose that includes the owner's IdentityId. The owner is never in the token
/// (the store puts the caller's own IdentityId in the start key), and a token made for one user,
/// edited, or made up is refused as a bad page link — so a user cannot page into another partition
/// even before the IAM policy (<c>dynamodb:LeadingKeys</c>) would refuse it.
/// </summary>
internal sealed class NotePageTokens(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("CleanCognito.Notes.PageToken", "v1");

    public string Protect(string ownerId, NoteId lastShown) => _protector.CreateProtector(ownerId).Protect(lastShown.Value);

    /// <summary>The note id in <paramref name="token"/>; <see cref="ValidationException"/> for anything that is not this owner's token.</summary>
    public NoteId Unprotect(string ownerId, string token)
    {
        string value;
        try
        {
            value = _protector.CreateProtector(ownerId).Unprotect(token);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            throw new ValidationException("NextToken", "That page link is not valid any more.");
        }

        return NoteId.IsValid(value) ? NoteId.Parse(value) : throw new ValidationException("NextToken", "That page link is not valid any more.");
    }
}
