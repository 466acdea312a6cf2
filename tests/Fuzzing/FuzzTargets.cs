using SupplyChain.Fuzzing.Targets;

namespace SupplyChain.Fuzzing;

/// <summary>Every fuzz target, by name.</summary>
/// <remarks>
/// Naming a target must not run contracts code: under afl-fuzz the instrumented assembly writes coverage to memory that
/// SharpFuzz maps only inside <c>Fuzzer.Run</c>, so a static constructor run before it crashes the process. The targets are
/// therefore created on first use, inside the run.
/// </remarks>
internal static class FuzzTargets
{
    public static IReadOnlyList<string> Names { get; } = ["gs1", "envelope", "event", "checkpoint", "proof", "merkle", "ack", "batch"];

    public static FuzzTarget Create(string name) => name switch
    {
        "gs1" => Gs1Target.Target,
        "envelope" => EnvelopeTarget.Target,
        "event" => EventTarget.Target,
        "checkpoint" => CheckpointTarget.Target,
        "proof" => ProofTarget.Target,
        "merkle" => MerkleTarget.Target,
        "ack" => AckTarget.Target,
        "batch" => BatchTarget.Target,
        _ => throw new ArgumentException($"Unknown target '{name}'; one of: {string.Join(", ", Names)}.", nameof(name)),
    };
}
