using System.Text.Json;

namespace SupplyChain.Contracts.Events;

/// <summary>
/// Writes and reads the signed event payload: a complete EPCIS 2.0 <c>EPCISDocument</c> as compact UTF-8 JSON (PROTOCOL.md §2).
/// Reading never throws on bad input; it reports an <see cref="EventError"/>.
/// </summary>
public static class EventCodec
{
    /// <summary>Largest payload accepted: 64 KiB.</summary>
    public const int MaxPayloadBytes = 64 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    /// <summary>The payload bytes of a document: compact UTF-8 JSON, members in model order, nulls omitted.</summary>
    public static byte[] Encode(EpcisDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.SerializeToUtf8Bytes(document, EventJsonContext.Wire.EpcisDocument);
    }

    /// <summary>The payload bytes of an event's document.</summary>
    public static byte[] Encode(CustodyEvent custodyEvent)
    {
        ArgumentNullException.ThrowIfNull(custodyEvent);
        return Encode(custodyEvent.Document);
    }

    /// <summary>The document indented, for people and documentation; never sign this form.</summary>
    public static string EncodeIndented(EpcisDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return JsonSerializer.Serialize(document, EventJsonContext.Indented.EpcisDocument);
    }

    /// <summary>Reads and checks a ColdTrace event payload.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, out CustodyEvent? custodyEvent, out EventError error)
    {
        custodyEvent = null;
        if (!TryReadDocument(payload, out var document, out error))
        {
            return false;
        }

        return CustodyEvent.TryCreate(document!, out custodyEvent, out error);
    }

    /// <summary>
    /// Reads any EPCIS 2.0 document whose events fit the model (e.g. the GS1 examples), without ColdTrace checks.
    /// Members the model does not name are kept in the <c>Extensions</c> dictionaries.
    /// </summary>
    public static bool TryReadDocument(ReadOnlySpan<byte> json, out EpcisDocument? document, out EventError error)
    {
        document = null;
        if (json.Length > MaxPayloadBytes)
        {
            error = EventError.TooLarge;
            return false;
        }

        // The reader checks UTF-8 only in what it decodes; members kept as JsonElement would fail later.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            error = EventError.MalformedJson;
            return false;
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json.ToArray(), DocumentOptions);
        }
        catch (JsonException)
        {
            error = EventError.MalformedJson;
            return false;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-member check unescapes member names and throws this for a lone surrogate ("\ud800"); found by fuzzing.
            error = EventError.MalformedJson;
            return false;
        }

        using (parsed)
        {
            var root = parsed.RootElement;

            // A string that unescapes to a lone surrogate made ValueEquals below throw, and one kept as JsonElement (@context,
            // members the model does not name) was accepted and made writing the document again throw (both found by
            // fuzzing). RFC 8259 §8.2 leaves such strings unpredictable: malformed here. Only escaped surrogates can do it.
            if ((json.IndexOf("\\ud"u8) >= 0 || json.IndexOf("\\uD"u8) >= 0) && !StringsAreWellFormed(root))
            {
                error = EventError.MalformedJson;
                return false;
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type"u8, out var type)
                || type.ValueKind != JsonValueKind.String || !type.ValueEquals("EPCISDocument"u8))
            {
                error = EventError.NotEpcisDocument;
                return false;
            }

            try
            {
                document = root.Deserialize(EventJsonContext.Wire.EpcisDocument);
            }
            catch (JsonException)
            {
                error = EventError.WrongFieldType;
                return false;
            }
            catch (InvalidOperationException)
            {
                // Strings that are not valid UTF-16 after unescaping (lone surrogates).
                error = EventError.MalformedJson;
                return false;
            }
        }

        error = document is null ? EventError.NotEpcisDocument : EventError.None;
        return document is not null;
    }

    // Member names need no check: the duplicate-member check has unescaped every one of them.
    private static bool StringsAreWellFormed(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return true;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }

            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (!StringsAreWellFormed(member.Value))
                    {
                        return false;
                    }
                }

                return true;

            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!StringsAreWellFormed(item))
                    {
                        return false;
                    }
                }

                return true;

            default:
                return true;
        }
    }
}
