namespace SupplyChain.Contracts.Gs1;

/// <summary>
/// The checks every AI field is made of (GS1 General Specifications format notation: <c>N18</c>, <c>X..20</c>, check digit).
/// Each returns <see langword="null"/> when the field passes, otherwise the reason.
/// </summary>
internal static class FieldRules
{
    /// <summary><c>N{length}</c>: exactly <paramref name="length"/> ASCII digits.</summary>
    public static Gs1Error? Digits(ReadOnlySpan<char> value, int length, string what, string? ai)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return new Gs1Error(
                    Gs1ErrorCode.BadCharacter,
                    $"{what} must be digits only; found {CharacterSet82.Describe(value[i])} at position {i + 1}.",
                    ai);
            }
        }

        return value.Length == length
            ? null
            : new Gs1Error(
                value.Length < length ? Gs1ErrorCode.FieldTooShort : Gs1ErrorCode.FieldTooLong,
                $"{what} must be {length} digits; got {value.Length}.",
                ai);
    }

    /// <summary><c>N..{maxLength}</c>: one to <paramref name="maxLength"/> ASCII digits.</summary>
    public static Gs1Error? VariableDigits(ReadOnlySpan<char> value, int maxLength, string what, string? ai)
    {
        if (value.IsEmpty)
        {
            return new Gs1Error(Gs1ErrorCode.FieldTooShort, $"{what} is empty.", ai);
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return new Gs1Error(
                    Gs1ErrorCode.BadCharacter,
                    $"{what} must be digits only; found {CharacterSet82.Describe(value[i])} at position {i + 1}.",
                    ai);
            }
        }

        return value.Length <= maxLength
            ? null
            : new Gs1Error(Gs1ErrorCode.FieldTooLong, $"{what} may have at most {maxLength} digits; got {value.Length}.", ai);
    }

    /// <summary><c>X..{maxLength}</c>: one to <paramref name="maxLength"/> characters of set 82.</summary>
    public static Gs1Error? Set82(ReadOnlySpan<char> value, int maxLength, string what, string? ai)
    {
        if (value.IsEmpty)
        {
            return new Gs1Error(Gs1ErrorCode.FieldTooShort, $"{what} is empty.", ai);
        }

        var bad = CharacterSet82.IndexOfInvalid(value);
        if (bad >= 0)
        {
            return new Gs1Error(
                Gs1ErrorCode.BadCharacter,
                $"{what} may only hold GS1 character set 82; found {CharacterSet82.Describe(value[bad])} at position {bad + 1}.",
                ai);
        }

        return value.Length <= maxLength
            ? null
            : new Gs1Error(Gs1ErrorCode.FieldTooLong, $"{what} may have at most {maxLength} characters; got {value.Length}.", ai);
    }

    /// <summary><c>N{length},csum</c>: digits with a valid mod-10 check digit (GenSpecs §7.9.1).</summary>
    public static Gs1Error? DigitsWithCheckDigit(ReadOnlySpan<char> value, int length, string what, string? ai)
    {
        if (Digits(value, length, what, ai) is { } error)
        {
            return error;
        }

        if (Gs1CheckDigit.IsValid(value))
        {
            return null;
        }

        Gs1CheckDigit.TryCompute(value[..^1], out var expected);
        return new Gs1Error(
            Gs1ErrorCode.BadCheckDigit,
            $"{what} {value} has check digit {value[^1]}; the correct check digit is {expected}.",
            ai);
    }
}
