namespace CleanCognito.Domain.Objects;

/// <summary>An object stored behind the AppSync API (the flask-cognito-lib example's <c>getMyObject</c>).</summary>
/// <param name="Id">1–64 characters of <c>[A-Za-z0-9_-]</c>; see <see cref="MyObjectId"/>.</param>
/// <param name="Name">What users see and editors may rename.</param>
/// <param name="Date">When the object was dated, as an instant (rendered in the user's locale).</param>
public sealed record MyObject(string Id, string Name, DateTimeOffset Date);
