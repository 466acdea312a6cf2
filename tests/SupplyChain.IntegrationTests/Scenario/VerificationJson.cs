namespace SupplyChain.IntegrationTests.Scenario;

// The hub's answers as docs/API.md describes them, read as JSON: the test depends on the documented API, not on hub types.

/// <summary>A verification answer (docs/API.md "The answer").</summary>
internal sealed record VerificationJson(
    string Pack,
    string Serial,
    bool Verified,
    string Status,
    IReadOnlyList<string> Reasons,
    string? Lot,
    CustodyJson? Custody,
    ColdChainJson? ColdChain,
    string LogKey,
    IReadOnlyList<ProofJson> Proofs);

internal sealed record CustodyJson(string Lifecycle, string Custodian, string? ShippedTo, string? Location, int Handoffs, string? DispensedAt);

internal sealed record ColdChainJson(bool Profiled, bool Compromised, IReadOnlyList<string> Breaches, ExposureJson? Exposure);

internal sealed record ExposureJson(double MonitoredMinutes, double OutOfRangeMinutes, double LongestExcursionMinutes, double UnknownMinutes, bool UnknownTooLong);

internal sealed record ProofJson(long Index, string Kind, string LeafHash, bool Pending, string? Bundle);

/// <summary><c>GET /v1/log/entries/{index}</c>: the leaf body (base64) after its kind byte.</summary>
internal sealed record EntryJson(long Index, string Kind, string LeafHash, string Body, bool Integrated);

/// <summary>The answer of <c>POST /v1/recalls</c> (docs/API.md "Recalls").</summary>
internal sealed record RecallOpenedJson(string RecallId, long Index, RecallJson Recall);

/// <summary>One recall as <c>GET /v1/recalls/{id}</c> shows it (the members the scenario checks).</summary>
internal sealed record RecallJson(string Id, string Status, string OpenedBy, RecallProgressJson Progress, IReadOnlyList<RecallSiteJson> Sites);

internal sealed record RecallProgressJson(int Packs, int Sites, int Quarantined, int DispensedBefore, int DispensedAfter, int StillDispensable);

internal sealed record RecallSiteJson(string Site, int Count);
