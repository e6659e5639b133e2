using System.Runtime.InteropServices;

namespace CleanCognito.Infrastructure.Cognito;

/// <summary>A SHA-256 digest as four words: a value key for the cache's dictionary.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D);
