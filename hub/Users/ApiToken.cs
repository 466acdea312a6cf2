using System.Security.Cryptography;
using System.Text;

namespace SupplyChain.Hub.Users;

/// <summary>
/// API bearer tokens (RFC 6750): <c>ct_</c> followed by 32 random bytes in base64url without padding (RFC 4648 §5), 46
/// characters. The prefix makes a leaked token recognisable to secret scanners. The hub keeps only the SHA-256 of the
/// token; 256 random bits need no salt or slow hash, and the hash is the key the token is looked up by.
/// </summary>
internal static class ApiToken
{
    public const string Prefix = "ct_";
    public const int Length = 46;

    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Whether <paramref name="token"/> has the shape of a token (checked before hashing anything a client sent).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> token)
    {
        if (token.Length != Length || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in token[Prefix.Length..])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Lowercase hex SHA-256 of the token's ASCII bytes: what the user store keeps.</summary>
    public static string Hash(ReadOnlySpan<char> token)
    {
        Span<byte> bytes = stackalloc byte[Length];
        var count = Encoding.ASCII.GetBytes(token, bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes[..count]));
    }
}
