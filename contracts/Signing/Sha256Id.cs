using System.Security.Cryptography;

namespace SupplyChain.Contracts.Signing;

/// <summary>Why a 64-digit lowercase hex identifier (key id, event id) was rejected.</summary>
public enum HexIdError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The text is not exactly 64 characters long.</summary>
    WrongLength = 1,

    /// <summary>The text holds a character other than <c>0-9</c> and <c>a-f</c>.</summary>
    NotLowercaseHex = 2,
}

/// <summary>Shared plumbing of the SHA-256 based identifiers: 32 bytes, written as 64 lowercase hex digits.</summary>
internal static class Sha256Id
{
    public const int Size = SHA256.HashSizeInBytes;

    public static bool TryParse(string? text, out byte[] bytes, out HexIdError error)
    {
        bytes = [];
        if (text is null || text.Length != Size * 2)
        {
            error = HexIdError.WrongLength;
            return false;
        }

        var buffer = new byte[Size];
        if (!Hex.TryDecodeLower(text, buffer))
        {
            error = HexIdError.NotLowercaseHex;
            return false;
        }

        bytes = buffer;
        error = HexIdError.None;
        return true;
    }
}
