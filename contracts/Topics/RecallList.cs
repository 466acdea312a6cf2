// PROTOCOL.md §5.6: the retained, hub-signed recall list of one site, a C2SP signed note (c2sp.org/signed-note).

using System.Globalization;
using System.Text;
using SupplyChain.Contracts.Gs1;
using SupplyChain.Contracts.Ledger;
using SupplyChain.Contracts.Rules;

namespace SupplyChain.Contracts.Topics;

/// <summary>
/// The packs under an open recall that a site holds or may receive, published by the hub as a retained message on
/// <see cref="ColdTraceTopic.SiteRecalls"/> and signed with the log's key, so a station can refuse a recalled pack while
/// the hub is unreachable. The note text is:
/// <code>
/// coldtrace.recalls/v1
/// {site GLN}
/// {version}
/// {time, UTC yyyy-MM-ddTHH:mm:ss.fffZ}
/// {gtin14} {serial} {recallId}     (one line per pack, sorted by GTIN then serial; none when nothing is recalled)
/// </code>
/// The version is the log size the hub had applied when it built the list; a station keeps the highest version it has
/// verified and ignores lists with a lower one, so an old retained list replayed by a broker cannot undo a recall.
/// </summary>
/// <param name="Site">The site the list is for.</param>
/// <param name="Version">Monotonic version (the applied log size); zero or more.</param>
/// <param name="Time">When the hub built the list.</param>
/// <param name="Packs">The recalled packs with the recall that covers each.</param>
public sealed record RecallList(Gln Site, long Version, DateTimeOffset Time, IReadOnlyList<RecalledPack> Packs)
{
    /// <summary>The first line of every recall list: separates it from checkpoints signed by the same key.</summary>
    public const string Header = "coldtrace.recalls/v1";

    /// <summary>Whether <paramref name="pack"/> is on the list.</summary>
    /// <param name="pack">The scanned pack.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public RecalledPack? Find(PackKey pack)
    {
        ArgumentNullException.ThrowIfNull(Packs);
        foreach (var entry in Packs)
        {
            if (entry.Pack == pack)
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The note text (every line ends in a newline).</summary>
    /// <returns>The text that <see cref="Sign"/> signs.</returns>
    /// <exception cref="ArgumentException">A recall id is empty or holds white space or control characters.</exception>
    public string FormatText()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Version);
        var text = new StringBuilder();
        text.Append(Header).Append('\n')
            .Append(Site.Value).Append('\n')
            .Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(FormatTime(Time)).Append('\n');
        foreach (var entry in Packs.OrderBy(p => p.Pack))
        {
            if (!IsToken(entry.RecallId))
            {
                throw new ArgumentException($"Recall id '{entry.RecallId}' must be non-empty without white space.", nameof(Packs));
            }

            text.Append(entry.Pack.Gtin.Value).Append(' ').Append(entry.Pack.Serial.Value).Append(' ').Append(entry.RecallId).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Signs the list as a C2SP signed note with the hub's log key.</summary>
    /// <param name="signer">The hub's note signer.</param>
    /// <returns>The signed note, the payload of the retained message (UTF-8).</returns>
    public string Sign(NoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        return SignedNote.Sign(FormatText(), signer);
    }

    /// <summary>Verifies a retained recall-list message with the hub's key and reads it; never throws for bad input.</summary>
    /// <param name="note">The message payload as text.</param>
    /// <param name="hubKey">The hub's verifier key (the log's vkey).</param>
    /// <param name="list">The list on success.</param>
    /// <param name="reason">Why the message was refused; <see langword="null"/> on success.</param>
    /// <returns>Whether the note is signed by <paramref name="hubKey"/> and is a well-formed recall list.</returns>
    public static bool TryOpen(string? note, NoteVerifier hubKey, out RecallList? list, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(hubKey);
        list = null;
        var opened = SignedNote.Open(note, [hubKey]);
        if (!opened.IsVerified)
        {
            reason = "signature: " + opened.Reason;
            return false;
        }

        return TryParseText(opened.Text!, out list, out reason);
    }

    /// <summary>Reads the text of a list whose signature has already been checked.</summary>
    /// <param name="text">The note text.</param>
    /// <param name="list">The list on success.</param>
    /// <param name="reason">Why the text is not a recall list; <see langword="null"/> on success.</param>
    /// <returns>Whether the text is a well-formed recall list.</returns>
    public static bool TryParseText(string text, out RecallList? list, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        list = null;
        if (!text.EndsWith('\n'))
        {
            reason = "the text does not end in a newline";
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length < 4 || !string.Equals(lines[0], Header, StringComparison.Ordinal))
        {
            reason = $"not a recall list (first line must be '{Header}')";
            return false;
        }

        if (!Gln.TryParse(lines[1], out var site, out var glnReason))
        {
            reason = "site: " + glnReason;
            return false;
        }

        if (!long.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            reason = $"version '{lines[2]}' is not a non-negative integer";
            return false;
        }

        if (!DateTimeOffset.TryParseExact(lines[3], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            reason = $"time '{lines[3]}' is not yyyy-MM-ddTHH:mm:ss.fffZ";
            return false;
        }

        var packs = new List<RecalledPack>(lines.Length - 4);
        for (var i = 4; i < lines.Length; i++)
        {
            var parts = lines[i].Split(' ');
            if (parts.Length != 3 || !IsToken(parts[2]))
            {
                reason = $"line {i + 1} is not '<gtin> <serial> <recallId>'";
                return false;
            }

            if (!Gtin.TryParse(parts[0], out var gtin, out _) || !Serial.TryParse(parts[1], out var serial, out _))
            {
                reason = $"line {i + 1}: not a pack ({parts[0]} {parts[1]})";
                return false;
            }

            packs.Add(new RecalledPack(new PackKey(gtin, serial), parts[2]));
        }

        list = new RecallList(site, version, time, packs);
        reason = null;
        return true;
    }

    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool IsToken(string? value) =>
        !string.IsNullOrEmpty(value) && value.All(c => c > ' ' && c != '\u007f');
}

/// <summary>One line of a <see cref="RecallList"/>.</summary>
/// <param name="Pack">The recalled pack.</param>
/// <param name="RecallId">The recall that covers it (the first, by id, when several do).</param>
public readonly record struct RecalledPack(PackKey Pack, string RecallId);
