using System.Globalization;
using System.Text;

namespace SupplyChain.Contracts.Signing;

/// <summary>
/// DSSE v1 pre-authentication encoding (secure-systems-lab/dsse, protocol.md):
/// <c>PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, LEN being the byte count in ASCII decimal.
/// The signature covers these bytes, never the JSON envelope.
/// </summary>
public static class Pae
{
    private static ReadOnlySpan<byte> Prefix => "DSSEv1 "u8;

    /// <summary>The PAE of a payload type (UTF-8) and payload.</summary>
    public static byte[] Encode(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        return Encode(Encoding.UTF8.GetBytes(payloadType), payload);
    }

    /// <summary>The PAE of raw payload type bytes and payload.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> payloadType, ReadOnlySpan<byte> payload)
    {
        var typeLength = Encoding.ASCII.GetBytes(payloadType.Length.ToString(CultureInfo.InvariantCulture));
        var bodyLength = Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture));
        var result = new byte[Prefix.Length + typeLength.Length + 1 + payloadType.Length + 1 + bodyLength.Length + 1 + payload.Length];
        var span = result.AsSpan();
        Append(ref span, Prefix);
        Append(ref span, typeLength);
        Append(ref span, " "u8);
        Append(ref span, payloadType);
        Append(ref span, " "u8);
        Append(ref span, bodyLength);
        Append(ref span, " "u8);
        Append(ref span, payload);
        return result;
    }

    private static void Append(ref Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        destination = destination[bytes.Length..];
    }
}
