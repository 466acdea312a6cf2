using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Contracts.Topics;

/// <summary>
/// A parsed ColdTrace topic name (PROTOCOL.md §5): its kind and the device or site it names. Parsing accepts only the
/// seven exact shapes; wildcards, extra or missing levels, empty levels and bad ids are rejected with a reason.
/// </summary>
public readonly record struct ColdTraceTopic
{
    /// <summary>The first two levels of every ColdTrace topic.</summary>
    public const string Prefix = "coldtrace/v1/";

    /// <summary>The retained checkpoint topic.</summary>
    public const string CheckpointTopic = "coldtrace/v1/checkpoint";

    /// <summary>Longest topic name accepted by <see cref="TryParse"/>.</summary>
    public const int MaxLength = 256;

    private ColdTraceTopic(TopicKind kind, DeviceId device, Gln site)
    {
        Kind = kind;
        Device = device;
        Site = site;
    }

    /// <summary>Which topic this is.</summary>
    public TopicKind Kind { get; }

    /// <summary>The device of the <c>devices/{deviceId}/…</c> topics; default otherwise.</summary>
    public DeviceId Device { get; }

    /// <summary>The site of <see cref="TopicKind.SiteRecalls"/>; default otherwise.</summary>
    public Gln Site { get; }

    /// <summary>The topic name.</summary>
    public string Name => Kind switch
    {
        TopicKind.DeviceEvents => DeviceEvents(Device),
        TopicKind.DeviceAcks => DeviceAcks(Device),
        TopicKind.DeviceVerify => DeviceVerify(Device),
        TopicKind.DeviceAnswers => DeviceAnswers(Device),
        TopicKind.DeviceStatus => DeviceStatus(Device),
        TopicKind.SiteRecalls => SiteRecalls(Site),
        _ => CheckpointTopic,
    };

    /// <summary><c>coldtrace/v1/devices/{deviceId}/events</c>.</summary>
    public static string DeviceEvents(DeviceId device) => $"{Prefix}devices/{device.Value}/events";

    /// <summary><c>coldtrace/v1/devices/{deviceId}/acks</c>.</summary>
    public static string DeviceAcks(DeviceId device) => $"{Prefix}devices/{device.Value}/acks";

    /// <summary><c>coldtrace/v1/devices/{deviceId}/verify</c>: verification requests from the device (PROTOCOL.md §5.7).</summary>
    public static string DeviceVerify(DeviceId device) => $"{Prefix}devices/{device.Value}/verify";

    /// <summary><c>coldtrace/v1/devices/{deviceId}/answers</c>: verification answers to the device (PROTOCOL.md §5.7).</summary>
    public static string DeviceAnswers(DeviceId device) => $"{Prefix}devices/{device.Value}/answers";

    /// <summary><c>coldtrace/v1/devices/{deviceId}/status</c>: the station's retained status report (PROTOCOL.md §5.8).</summary>
    public static string DeviceStatus(DeviceId device) => $"{Prefix}devices/{device.Value}/status";

    /// <summary><c>coldtrace/v1/sites/{gln}/recalls</c>.</summary>
    public static string SiteRecalls(Gln site) => $"{Prefix}sites/{site.Value}/recalls";

    /// <summary>Parses a topic name.</summary>
    /// <param name="name">The topic name as published or subscribed.</param>
    /// <param name="topic">The topic on success; <see langword="default"/> otherwise.</param>
    /// <param name="error">Why it was rejected; <see cref="TopicError.None"/> on success.</param>
    /// <returns>Whether <paramref name="name"/> is exactly one ColdTrace topic.</returns>
    public static bool TryParse(ReadOnlySpan<char> name, out ColdTraceTopic topic, out TopicError error)
    {
        topic = default;
        error = Parse(name, ref topic);
        return error == TopicError.None;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static TopicError Parse(ReadOnlySpan<char> name, ref ColdTraceTopic topic)
    {
        if (name.IsEmpty || name.Length > MaxLength || name.ContainsAny('+', '#') || name.Contains('\0'))
        {
            return TopicError.Wildcard;
        }

        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return TopicError.UnknownTopic;
        }

        var rest = name[Prefix.Length..];
        if (rest.SequenceEqual("checkpoint"))
        {
            topic = new ColdTraceTopic(TopicKind.Checkpoint, default, default);
            return TopicError.None;
        }

        Span<Range> levels = stackalloc Range[4];
        var count = rest.Split(levels, '/');
        if (count == 0)
        {
            return TopicError.UnknownTopic;
        }

        var collection = rest[levels[0]];
        var isDevices = collection.SequenceEqual("devices");
        var isSites = collection.SequenceEqual("sites");
        if (!isDevices && !isSites)
        {
            return TopicError.UnknownTopic;
        }

        // Split puts any surplus into the last range, so a count of 4 means "more than three levels".
        if (count != 3)
        {
            return TopicError.WrongLevels;
        }

        var id = rest[levels[1]];
        var leaf = rest[levels[2]];
        if (isSites)
        {
            if (!leaf.SequenceEqual("recalls"))
            {
                return TopicError.UnknownTopic;
            }

            if (!Gln.TryParse(id, out var site, out _))
            {
                return TopicError.BadSiteId;
            }

            topic = new ColdTraceTopic(TopicKind.SiteRecalls, default, site);
            return TopicError.None;
        }

        TopicKind kind;
        if (leaf.SequenceEqual("events"))
        {
            kind = TopicKind.DeviceEvents;
        }
        else if (leaf.SequenceEqual("acks"))
        {
            kind = TopicKind.DeviceAcks;
        }
        else if (leaf.SequenceEqual("verify"))
        {
            kind = TopicKind.DeviceVerify;
        }
        else if (leaf.SequenceEqual("answers"))
        {
            kind = TopicKind.DeviceAnswers;
        }
        else if (leaf.SequenceEqual("status"))
        {
            kind = TopicKind.DeviceStatus;
        }
        else
        {
            return TopicError.UnknownTopic;
        }

        if (!DeviceId.TryParse(id, out var device, out _))
        {
            return TopicError.BadDeviceId;
        }

        topic = new ColdTraceTopic(kind, device, default);
        return TopicError.None;
    }
}
