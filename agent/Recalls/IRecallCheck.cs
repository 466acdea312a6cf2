using SupplyChain.Contracts.Gs1;

namespace SupplyChain.Agent.Recalls;

/// <summary>The offline recall check a pharmacy or dock-in station asks before a scanned pack becomes an event (PROTOCOL.md §5.6).</summary>
internal interface IRecallCheck
{
    /// <summary>Why the scanned pack must be refused, e.g. <c>recalled (R-2)</c>; null when it is not on the site's recall list.</summary>
    string? RefusalFor(Gs1Scan scan);
}
