namespace SupplyChain.Fuzzing;

/// <summary>
/// A target's oracle failed on an input the parser accepted (e.g. a canonical form that does not parse back): a crash
/// like any unexpected exception, so AFL++ keeps the input.
/// </summary>
internal sealed class InvariantBrokenException : Exception
{
    public InvariantBrokenException()
    {
    }

    public InvariantBrokenException(string message)
        : base(message)
    {
    }

    public InvariantBrokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static void ThrowUnless(bool holds, string what)
    {
        if (!holds)
        {
            throw new InvariantBrokenException(what);
        }
    }
}
