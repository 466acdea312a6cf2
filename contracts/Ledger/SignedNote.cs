// c2sp.org/signed-note: text ending in a newline, a blank line, then signature lines "— <key name> base64(keyid ‖ sig)".

using System.Buffers.Binary;
using System.Text;

namespace SupplyChain.Contracts.Ledger;

/// <summary>Signs and opens C2SP signed notes with Ed25519 keys.</summary>
public static class SignedNote
{
    /// <summary>The most signature lines a note may carry; the spec asks verifiers to accept at least 16.</summary>
    public const int MaxSignatures = 100;

    // Em dash U+2014 then a space (c2sp.org/signed-note, Format).
    private const string SignaturePrefix = "\u2014 ";

    /// <summary>Signs <paramref name="text"/> with every signer, in order, and returns the whole note.</summary>
    /// <param name="text">The note text: non-empty, ending in a newline, without control characters other than newline.</param>
    /// <param name="signers">One or more signers.</param>
    /// <returns>The signed note: the text, a blank line, and one signature line per signer.</returns>
    /// <exception cref="ArgumentException">The text breaks the note rules, or no signer was given.</exception>
    public static string Sign(string text, params NoteSigner[] signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        if (TextProblem(text) is { } problem)
        {
            throw new ArgumentException(problem, nameof(text));
        }

        if (!text.EndsWith('\n'))
        {
            throw new ArgumentException("The note text must end with a newline.", nameof(text));
        }

        if (signers.Length is 0 or > MaxSignatures)
        {
            throw new ArgumentException($"A note needs between 1 and {MaxSignatures} signers.", nameof(signers));
        }

        var textBytes = Encoding.UTF8.GetBytes(text);
        var note = new StringBuilder(text).Append('\n');
        foreach (var signer in signers)
        {
            ArgumentNullException.ThrowIfNull(signer, nameof(signers));
            var blob = new byte[4 + NoteVerifier.SignatureSize];
            BinaryPrimitives.WriteUInt32BigEndian(blob, signer.KeyId);
            signer.Sign(textBytes).CopyTo(blob, 4);
            note.Append(SignaturePrefix).Append(signer.Name).Append(' ').Append(Convert.ToBase64String(blob)).Append('\n');
        }

        return note.ToString();
    }

    /// <summary>
    /// Opens a signed note: checks its form, ignores signatures from unknown keys, verifies every signature from a known
    /// key, and rejects the note unless at least one known key signed it and none of their signatures failed.
    /// </summary>
    /// <param name="note">The whole signed note.</param>
    /// <param name="verifiers">The known keys; a key is identified by its name and key ID together.</param>
    /// <returns>The verified text and the keys that verified it, or the reason the note was rejected.</returns>
    public static NoteOpenResult Open(string? note, IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        if (!TryParse(note, out var text, out var signatures, out var reason))
        {
            return NoteOpenResult.Rejected(reason);
        }

        var known = verifiers.ToList();
        var textBytes = Encoding.UTF8.GetBytes(text);
        var verifiedBy = new List<NoteVerifier>();
        foreach (var signature in signatures)
        {
            var verifier = known.Find(v => v.KeyId == signature.KeyId && string.Equals(v.Name, signature.Name, StringComparison.Ordinal));
            if (verifier is null)
            {
                // "Verifiers MUST ignore signatures from unknown keys, even if they share a name or ID (but not both)."
                continue;
            }

            if (verifiedBy.Contains(verifier))
            {
                return NoteOpenResult.Rejected($"key {signature.Name} signed the note twice");
            }

            // "If a signature from a known key fails to verify, clients SHOULD reject the whole note."
            if (!verifier.Verify(textBytes, signature.Signature))
            {
                return NoteOpenResult.Rejected($"the signature of known key {signature.Name} does not verify");
            }

            verifiedBy.Add(verifier);
        }

        return verifiedBy.Count == 0
            ? NoteOpenResult.Rejected("no signature from a known key")
            : NoteOpenResult.Verified(text, verifiedBy);
    }

    /// <summary>Splits a note into its text and signature lines and checks their form, without verifying anything.</summary>
    internal static bool TryParse(string? note, out string text, out List<NoteSignature> signatures, out string reason)
    {
        text = string.Empty;
        signatures = [];
        if (string.IsNullOrEmpty(note))
        {
            reason = "the note is empty";
            return false;
        }

        if (TextProblem(note) is { } problem)
        {
            reason = problem;
            return false;
        }

        // "The text is separated from the signatures by the last empty line in the note."
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            reason = "the note has no blank line before its signatures";
            return false;
        }

        var block = note[(split + 2)..];
        if (block.Length == 0)
        {
            reason = "the note has no signature lines";
            return false;
        }

        if (!block.EndsWith('\n'))
        {
            reason = "the last signature line does not end with a newline";
            return false;
        }

        var lines = block[..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            reason = $"the note has more than {MaxSignatures} signatures";
            return false;
        }

        foreach (var line in lines)
        {
            if (!TryParseSignatureLine(line, out var signature, out reason))
            {
                return false;
            }

            signatures.Add(signature);
        }

        text = note[..(split + 1)];
        reason = string.Empty;
        return true;
    }

    /// <summary>Why a string cannot be (part of) a note, or <see langword="null"/>: it must be valid Unicode without control characters other than newline.</summary>
    internal static string? TextProblem(string text)
    {
        if (!KeyName.IsWellFormedUtf16(text))
        {
            return "the note is not valid UTF-8";
        }

        foreach (var c in text)
        {
            if (c < 0x20 && c != '\n')
            {
                return $"the note contains control character U+{(int)c:X4}";
            }
        }

        return null;
    }

    private static bool TryParseSignatureLine(string line, out NoteSignature signature, out string reason)
    {
        signature = default;
        if (!line.StartsWith(SignaturePrefix, StringComparison.Ordinal))
        {
            reason = "a signature line does not start with an em dash and a space";
            return false;
        }

        var rest = line[SignaturePrefix.Length..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            reason = "a signature line has no space between key name and signature";
            return false;
        }

        var name = rest[..space];
        if (KeyName.Problem(name) is { } problem)
        {
            reason = "a signature line is malformed: " + problem;
            return false;
        }

        if (!Base64Text.TryDecode(rest[(space + 1)..], out var blob))
        {
            reason = $"the signature of {name} is not valid base64";
            return false;
        }

        if (blob.Length < 5)
        {
            reason = $"the signature of {name} is too short to hold a key ID and a signature";
            return false;
        }

        signature = new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..]);
        reason = string.Empty;
        return true;
    }
}
