namespace SupplyChain.Agent.Feedback;

/// <summary>What the operator sees and hears after a scan (DESIGN.md §1: green or red within a second).</summary>
internal enum Signal
{
    /// <summary>Green LED and a beep: the event is on disk in the outbox.</summary>
    Green,

    /// <summary>A short green blink: the scan joined the open batch; the batch is recorded when it closes.</summary>
    Blink,

    /// <summary>A short beep, no LED: a duplicate scan, ignored.</summary>
    ShortBeep,

    /// <summary>Red LED and a long buzz: refused; the reason is logged.</summary>
    Red,
}

/// <summary>A signal with the reason behind a red one.</summary>
internal readonly record struct ScanOutcome(Signal Signal, string? Reason = null)
{
    public static ScanOutcome Green => new(Signal.Green);

    public static ScanOutcome Blink => new(Signal.Blink);

    public static ScanOutcome ShortBeep(string reason) => new(Signal.ShortBeep, reason);

    public static ScanOutcome Red(string reason) => new(Signal.Red, reason);
}
