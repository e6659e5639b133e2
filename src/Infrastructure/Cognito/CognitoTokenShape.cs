using System.Buffers.Text;
using System.Text.Json;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>
/// The shape Cognito gives its tokens, checked before any signature work: a compact JWS of three
/// base64url parts; a header with <c>alg</c> RS256, a <c>kid</c> and no <c>crit</c>; a payload whose
/// times are JSON numbers, whose <c>token_use</c> is exactly the expected one and, for an ID token,
/// whose <c>aud</c> is exactly the client id (a string, not an array). Stricter than the JWT
/// libraries on purpose: see docs/decisions/0006-cognito-token-shape.md.
/// </summary>
internal static class CognitoTokenShape
{
    private static readonly string[] TimeClaims = ["exp", "iat", "nbf", "auth_time"];

    /// <summary>Latest second <see cref="DateTimeOffset.FromUnixTimeSeconds"/> accepts.</summary>
    private const long MaxUnixSeconds = 253402300799;

    /// <summary>Why <paramref name="token"/> is not Cognito-shaped, or null when it is. Never throws.</summary>
    public static string? Problem(string token, TokenUse use, string clientId)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0 || !IsBase64Url(p)))
        {
            return "not a compact JWS of three base64url parts";
        }

        using var header = ParseObject(parts[0]);
        using var payload = ParseObject(parts[1]);
        if (header is null || payload is null)
        {
            return "header or payload is not a JSON object";
        }

        return HeaderProblem(header.RootElement) ?? PayloadProblem(payload.RootElement, use, clientId);
    }

    private static string? HeaderProblem(JsonElement header)
    {
        if (header.TryGetProperty("crit", out _))
        {
            return "the header has a crit list";
        }

        if (!IsString(header, "alg", "RS256"))
        {
            return "alg is not RS256";
        }

        return header.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? null : "no kid";
    }

    private static string? PayloadProblem(JsonElement payload, TokenUse use, string clientId)
    {
        var expectedUse = use == TokenUse.Access ? "access" : "id";
        if (!IsString(payload, "token_use", expectedUse))
        {
            return $"token_use is not {expectedUse}";
        }

        if (!payload.TryGetProperty("exp", out _))
        {
            return "no exp";
        }

        foreach (var claim in TimeClaims)
        {
            if (payload.TryGetProperty(claim, out var value)
                && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seconds) || seconds < 0 || seconds > MaxUnixSeconds))
            {
                return $"{claim} is not a whole number of seconds";
            }
        }

        if (use == TokenUse.Id && !IsString(payload, "aud", clientId))
        {
            return "aud is not exactly this app's client id";
        }

        if (use == TokenUse.Access && !IsString(payload, "client_id", clientId))
        {
            return "client_id is not this app's";
        }

        return payload.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? null : "no sub";
    }

    private static bool IsString(JsonElement element, string name, string expected) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.ValueEquals(expected);

    private static bool IsBase64Url(string part) =>
        part.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    /// <summary>The decoded JSON object, or null (bad base64url, not JSON, not an object, a name given twice).</summary>
    private static JsonDocument? ParseObject(string part)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(part);
        }
        catch (FormatException)
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return null;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || HasDuplicateNames(root))
        {
            document.Dispose();
            return null;
        }

        return document;
    }

    /// <summary>Two values for one claim are read differently by different parsers: refuse them.</summary>
    private static bool HasDuplicateNames(JsonElement root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return root.EnumerateObject().Any(p => !names.Add(p.Name));
    }
}
