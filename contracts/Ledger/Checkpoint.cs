// c2sp.org/tlog-checkpoint: the note text "<origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]...".

using System.Globalization;
using System.Text;

namespace SupplyChain.Contracts.Ledger;

/// <summary>
/// A transparency log checkpoint body (C2SP tlog-checkpoint): the log's origin, its tree size and the RFC 9162 root hash
/// at that size, plus optional opaque extension lines. The signatures around it are a <see cref="SignedNote"/>.
/// </summary>
/// <param name="Origin">The log's unique identity, e.g. <c>coldtrace.example/log</c>: non-empty, one line, no control characters.</param>
/// <param name="Size">The number of leaves in the tree; zero or more.</param>
/// <param name="RootHash">The 32-byte root hash at <paramref name="Size"/>; copied on construction, do not mutate the returned array.</param>
public readonly record struct Checkpoint(string Origin, long Size, byte[] RootHash)
{
    private readonly string _origin = RequireOrigin(Origin);
    private readonly long _size = RequireSize(Size);
    private readonly byte[] _rootHash = RequireRootHash(RootHash);
    private readonly string[]? _extensions;

    /// <summary>The log's unique identity (first line).</summary>
    public string Origin { get => _origin; init => _origin = RequireOrigin(value); }

    /// <summary>The tree size (second line).</summary>
    public long Size { get => _size; init => _size = RequireSize(value); }

    /// <summary>The 32-byte root hash (third line, base64).</summary>
    public byte[] RootHash { get => _rootHash; init => _rootHash = RequireRootHash(value); }

    /// <summary>Opaque extension lines after the root hash; each non-empty. Their use is NOT RECOMMENDED by the spec.</summary>
    public IReadOnlyList<string> Extensions
    {
        get => _extensions ?? [];
        init => _extensions = RequireExtensions(value);
    }

    /// <summary>The note text: <c>origin\nsize\nbase64(root)\n</c> followed by any extension lines, each ending in a newline.</summary>
    /// <returns>The checkpoint body, ready for <see cref="SignedNote.Sign"/>.</returns>
    /// <exception cref="InvalidOperationException">The checkpoint is <see langword="default"/>.</exception>
    public string ToBody()
    {
        if (_origin is null || _rootHash is null)
        {
            throw new InvalidOperationException("A default Checkpoint has no body.");
        }

        var body = new StringBuilder()
            .Append(_origin).Append('\n')
            .Append(_size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(_rootHash)).Append('\n');
        foreach (var line in Extensions)
        {
            body.Append(line).Append('\n');
        }

        return body.ToString();
    }

    /// <summary>Parses a checkpoint body (the text of a signed note, without signatures).</summary>
    /// <param name="body">At least three non-empty lines, each ending in a newline.</param>
    /// <param name="checkpoint">The checkpoint, when the body is valid.</param>
    /// <param name="reason">Why the body was rejected, when it is not valid.</param>
    /// <returns>Whether <paramref name="body"/> is a valid checkpoint body.</returns>
    public static bool TryParse(string? body, out Checkpoint checkpoint, out string? reason)
    {
        checkpoint = default;
        if (string.IsNullOrEmpty(body) || !body.EndsWith('\n'))
        {
            reason = "a checkpoint body ends with a newline";
            return false;
        }

        if (SignedNote.TextProblem(body) is { } problem)
        {
            reason = problem;
            return false;
        }

        var lines = body[..^1].Split('\n');
        if (lines.Length < 3)
        {
            reason = "a checkpoint has origin, size and root hash lines";
            return false;
        }

        if (Array.FindIndex(lines, l => l.Length == 0) is var empty and >= 0)
        {
            reason = $"checkpoint line {empty + 1} is empty";
            return false;
        }

        if (!DecimalText.TryParse(lines[1], out var size))
        {
            reason = "the tree size is not a decimal number without leading zeroes";
            return false;
        }

        if (!Base64Text.TryDecode(lines[2], out var root) || root.Length != Rfc9162.HashSize)
        {
            reason = $"the root hash is not base64 of {Rfc9162.HashSize} bytes";
            return false;
        }

        checkpoint = new Checkpoint(lines[0], size, root) { Extensions = lines[3..] };
        reason = null;
        return true;
    }

    /// <summary>Whether two checkpoints have the same origin, size, root hash and extension lines.</summary>
    /// <param name="other">The other checkpoint.</param>
    /// <returns><see langword="true"/> when every field is equal, comparing root hash bytes.</returns>
    public bool Equals(Checkpoint other) =>
        string.Equals(_origin, other._origin, StringComparison.Ordinal)
        && _size == other._size
        && (_rootHash ?? []).AsSpan().SequenceEqual(other._rootHash ?? [])
        && Extensions.SequenceEqual(other.Extensions, StringComparer.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_origin, _size, _rootHash is null ? 0 : BitConverter.ToInt32(_rootHash));

    /// <inheritdoc />
    public override string ToString() => _rootHash is null ? "(no checkpoint)" : $"{_origin} @ {_size} {Convert.ToBase64String(_rootHash)}";

    private static string RequireOrigin(string origin)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        if (origin.Contains('\n', StringComparison.Ordinal) || SignedNote.TextProblem(origin) is not null)
        {
            throw new ArgumentException("The origin must be one line of valid text without control characters.", nameof(origin));
        }

        return origin;
    }

    private static long RequireSize(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size;
    }

    private static byte[] RequireRootHash(byte[] rootHash)
    {
        ArgumentNullException.ThrowIfNull(rootHash);
        if (rootHash.Length != Rfc9162.HashSize)
        {
            throw new ArgumentException($"The root hash is {Rfc9162.HashSize} bytes.", nameof(rootHash));
        }

        return (byte[])rootHash.Clone();
    }

    private static string[] RequireExtensions(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            if (string.IsNullOrEmpty(line) || line.Contains('\n', StringComparison.Ordinal) || SignedNote.TextProblem(line) is not null)
            {
                throw new ArgumentException("Extension lines are non-empty single lines without control characters.", nameof(lines));
            }
        }

        return [.. lines];
    }
}
