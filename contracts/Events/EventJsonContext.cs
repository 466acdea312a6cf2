using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Contracts.Events;

/// <summary>Source-generated (reflection-free) serialization of the EPCIS model.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EpcisDocument))]
[JsonSerializable(typeof(ObjectEvent))]
internal sealed partial class EventJsonContext : JsonSerializerContext
{
    /// <summary>Compact output, '+' and non-ASCII written as themselves, duplicate members rejected.</summary>
    public static EventJsonContext Wire { get; } = new(CreateOptions(indented: false));

    /// <summary>As <see cref="Wire"/>, indented, for documentation.</summary>
    public static EventJsonContext Indented { get; } = new(CreateOptions(indented: true));

    private static JsonSerializerOptions CreateOptions(bool indented) => new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Not HTML: keep "+00:00" readable instead of "\u002B00:00".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        AllowDuplicateProperties = false,
        WriteIndented = indented,
        MaxDepth = 32,
    };
}
