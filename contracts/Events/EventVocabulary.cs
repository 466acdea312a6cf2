namespace SupplyChain.Contracts.Events;

/// <summary>The fixed strings of ColdTrace events (PROTOCOL.md §2.1).</summary>
public static class EventVocabulary
{
    /// <summary>The normative EPCIS 2.0 JSON-LD context (EPCIS 2.0 §9.1).</summary>
    public const string EpcisContext = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

    /// <summary>The JSON-LD prefix of the ColdTrace extension members.</summary>
    public const string Prefix = "ct";

    /// <summary>The IRI the <c>ct</c> prefix expands to.</summary>
    public const string Namespace = "https://ns.coldtrace.dev/epcis/v1#";

    /// <summary>The DSSE <c>payloadType</c> of a signed event payload (PROTOCOL.md §3.2).</summary>
    public const string PayloadType = "application/vnd.coldtrace.epcis-event.v1+json";

    /// <summary>The measurement type written for temperatures; <c>gs1:Temperature</c> is read as the same term.</summary>
    public const string Temperature = "Temperature";

    /// <summary>UN/CEFACT Rec 20 code for degrees Celsius.</summary>
    public const string Celsius = "CEL";

    /// <summary>CBV sensor alert type used for out-of-range readings.</summary>
    public const string AlarmCondition = "ALARM_CONDITION";
}
