using System.Diagnostics.CodeAnalysis;

namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// The outcome of parsing or formatting GS1 data: a value or a <see cref="Gs1Error"/>, never both.
/// Bad scans are normal input, so they are results, not exceptions (NodaTime's <c>ParseResult</c> does the same).
/// </summary>
/// <typeparam name="T">The value on success.</typeparam>
public sealed class Gs1Result<T>
    where T : notnull
{
    private Gs1Result(T? value, Gs1Error? error)
    {
        Value = value;
        Error = error;
    }

    /// <summary>Whether the input was accepted.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value when <see cref="IsSuccess"/>; otherwise <see langword="null"/>.</summary>
    public T? Value { get; }

    /// <summary>The reason when not <see cref="IsSuccess"/>; otherwise <see langword="null"/>.</summary>
    public Gs1Error? Error { get; }

    /// <summary>A successful result.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
#pragma warning disable CA1000 // A static factory on the generic result reads best at the call site.
    public static Gs1Result<T> Success(T value) => new(value, null);

    /// <summary>A rejection.</summary>
    /// <param name="error">Why.</param>
    /// <returns>The result.</returns>
    public static Gs1Result<T> Failure(Gs1Error error) => new(default, error);
#pragma warning restore CA1000

    /// <summary>A rejection built from a code and a message.</summary>
    internal static Gs1Result<T> Failure(Gs1ErrorCode code, string message, string? ai = null) =>
        new(default, new Gs1Error(code, message, ai));

    /// <inheritdoc/>
    public override string ToString() => IsSuccess ? $"Success: {Value}" : $"Failure: {Error}";
}
