using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Fuzzing.Targets;

/// <summary>The log key of the PROTOCOL.md §4.5 worked example, so the seed checkpoints and proofs verify.</summary>
internal static class LogKey
{
    public const string Vkey = "example.com/coldtrace+0854d9fc+AVhUmka4XJQq6vtJDibnqUBXkqKV0tCuumrT/e6gebVD";

    public static NoteVerifier Verifier { get; } = NoteVerifier.TryParse(Vkey, out var verifier, out var reason)
        ? verifier!
        : throw new InvalidOperationException("The example vkey does not parse: " + reason);
}
