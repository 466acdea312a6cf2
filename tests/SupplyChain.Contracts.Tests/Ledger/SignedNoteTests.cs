using System.Text;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Contracts.Tests.Ledger;

// Known answers from c2sp.org/signed-note and golang.org/x/mod/sumdb/note (example keys and signatures).
public sealed class SignedNoteTests
{
    private const string ExampleVkey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
    private const string ExampleNote =
        "This is an example message.\n\n" +
        "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

    private const string PeterPrivateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string PeterVkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string PeterText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSignatureLine = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    [Fact]
    public void Open_C2spExample_VerifiesWithExampleKey()
    {
        var result = SignedNote.Open(ExampleNote, [Vkey(ExampleVkey)]);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal("This is an example message.\n", result.Text);
        Assert.Equal("example.com/foo", Assert.Single(result.VerifiedBy).Name);
    }

    [Fact]
    public void TryParse_C2spExampleVkey_HasNameAndKeyId()
    {
        var verifier = Vkey(ExampleVkey);

        Assert.Equal("example.com/foo", verifier.Name);
        Assert.Equal(0x530d903aU, verifier.KeyId);
        Assert.Equal(ExampleVkey, verifier.VerifierKey);
    }

    [Fact]
    public void TryParse_GoPrivateKey_DerivesTheKnownVerifierKey()
    {
        Assert.True(NoteSigner.TryParse(PeterPrivateKey, out var signer, out var reason), reason);

        Assert.Equal("PeterNeumann", signer!.Name);
        Assert.Equal(0xc74f20a3U, signer.KeyId);
        Assert.Equal(PeterVkey, signer.VerifierKey);
        Assert.Equal(PeterPrivateKey, signer.PrivateKey);
    }

    [Fact]
    public void Sign_GoExampleKey_ProducesTheKnownSignatureLine()
    {
        Assert.True(NoteSigner.TryParse(PeterPrivateKey, out var signer, out _));

        var note = SignedNote.Sign(PeterText, signer!);

        Assert.Equal(PeterText + "\n" + PeterSignatureLine, note);
        Assert.True(SignedNote.Open(note, [Vkey(PeterVkey)]).IsVerified);
    }

    [Fact]
    public void Sign_TwoSigners_BothVerifyInOrder()
    {
        var a = NoteSigner.Generate("a.example/log");
        var b = NoteSigner.Generate("b.example/witness");

        var result = SignedNote.Open(SignedNote.Sign("hello\n", a, b), [b.Verifier, a.Verifier]);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(["a.example/log", "b.example/witness"], result.VerifiedBy.Select(v => v.Name));
    }

    [Fact]
    public void Generate_RoundTripsThroughPrivateKeyText()
    {
        var signer = NoteSigner.Generate("coldtrace.example/hub");

        Assert.True(NoteSigner.TryParse(signer.PrivateKey, out var again, out var reason), reason);
        Assert.Equal(signer.VerifierKey, again!.VerifierKey);
        Assert.Equal(SignedNote.Sign("x\n", signer), SignedNote.Sign("x\n", again));
    }

    [Fact]
    public void Open_TextWithBlankLines_SplitsAtTheLastBlankLine()
    {
        var signer = NoteSigner.Generate("k");
        const string text = "one\n\ntwo\n\n";

        var result = SignedNote.Open(SignedNote.Sign(text, signer), [signer.Verifier]);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(text, result.Text);
    }

    [Fact]
    public void Open_UnknownKeyBesideKnownKey_UnknownIgnored()
    {
        var note = ExampleNote + "— someone.else ZZZZAAAAAAAA\n";

        var result = SignedNote.Open(note, [Vkey(ExampleVkey)]);

        Assert.True(result.IsVerified, result.Reason);
    }

    [Fact]
    public void Open_OnlyUnknownKeys_Rejected()
    {
        var result = SignedNote.Open(ExampleNote, [Vkey(PeterVkey)]);

        Assert.False(result.IsVerified);
        Assert.Null(result.Text);
        Assert.Contains("no signature from a known key", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_SameNameDifferentKeyId_IsUnknownSoIgnored()
    {
        // A key with the example's name but another key ID is a different key: its line is ignored, not failed.
        var other = NoteSigner.Generate("example.com/foo");
        var note = SignedNote.Sign("This is an example message.\n", other);

        var result = SignedNote.Open(note, [Vkey(ExampleVkey)]);

        Assert.Equal("no signature from a known key", result.Reason);
    }

    [Fact]
    public void Open_FlippedTextByte_Rejected()
    {
        var note = "This is an exbmple message.\n" + ExampleNote["This is an example message.\n".Length..];

        var result = SignedNote.Open(note, [Vkey(ExampleVkey)]);

        Assert.False(result.IsVerified);
        Assert.Contains("does not verify", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(67)]
    public void Open_FlippedSignatureBit_Rejected(int byteIndex)
    {
        var signer = NoteSigner.Generate("k.example");
        var note = SignedNote.Sign("text\n", signer);
        var line = note["text\n\n— k.example ".Length..^1];
        var blob = Convert.FromBase64String(line);
        blob[byteIndex] ^= 0x01;
        var tampered = "text\n\n— k.example " + Convert.ToBase64String(blob) + "\n";

        var result = SignedNote.Open(tampered, [signer.Verifier]);

        Assert.False(result.IsVerified);
        Assert.NotNull(result.Reason);
    }

    [Fact]
    public void Open_KnownKeyBadSignatureBesideGoodOne_RejectsWholeNote()
    {
        var a = NoteSigner.Generate("a");
        var b = NoteSigner.Generate("b");
        var good = SignedNote.Sign("text\n", a);
        var badB = SignedNote.Sign("other\n", b).Split("\n\n")[1];

        var result = SignedNote.Open(good + badB, [a.Verifier, b.Verifier]);

        Assert.False(result.IsVerified);
        Assert.Equal("the signature of known key b does not verify", result.Reason);
    }

    [Fact]
    public void Open_WrongKey_Rejected()
    {
        var signer = NoteSigner.Generate("k");
        var impostor = NoteSigner.Generate("k");

        Assert.False(SignedNote.Open(SignedNote.Sign("t\n", impostor), [signer.Verifier]).IsVerified);
    }

    [Fact]
    public void Open_DuplicateSignatureFromKnownKey_Rejected()
    {
        var lines = ExampleNote.Split("\n\n")[1];

        var result = SignedNote.Open(ExampleNote + lines, [Vkey(ExampleVkey)]);

        Assert.False(result.IsVerified);
        Assert.Contains("twice", result.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> MalformedNotes => new()
    {
        { "This is an example message.\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "no blank line" },
        { "This is an example message.\n\n", "no signature lines" },
        { "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=", "does not end with a newline" },
        { "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM\n", "not valid base64" },
        { "This is an example message.\n\n— example.com/foo Uw2Q!kn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "not valid base64" },
        { "This is an example message.\n\n— example.com/foo Uw2QOkn8 srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "not valid base64" },
        { "This is an example message.\n\n— example.com/foo Uw2QOg==\n", "too short" },
        { "This is an example message.\n\n- example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "em dash" },
        { "This is an example message.\n\n— example.com/foo\n", "no space" },
        { "This is an example message.\n\n— example.com+foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "'+'" },
        { "This is an example message.\n\n—  Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "empty" },
        { "This is an example\tmessage.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "control character" },
        { "This is an example message.\r\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n", "control character" },
        { "", "empty" },
    };

    [Theory]
    [MemberData(nameof(MalformedNotes))]
    public void Open_MalformedNote_RejectedWithReason(string note, string reasonPart)
    {
        var result = SignedNote.Open(note, [Vkey(ExampleVkey)]);

        Assert.False(result.IsVerified);
        Assert.Contains(reasonPart, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_LoneSurrogate_RejectedAsInvalidUtf8()
    {
        // Built in the test body: xunit would replace a lone surrogate in serialized theory data.
        var note = "\ud800" + ExampleNote;

        Assert.Equal("the note is not valid UTF-8", SignedNote.Open(note, [Vkey(ExampleVkey)]).Reason);
    }

    [Fact]
    public void Open_WrongSignatureLength_Rejected()
    {
        var blob = Convert.FromBase64String("Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=");
        var note = "This is an example message.\n\n— example.com/foo " + Convert.ToBase64String(blob[..^1]) + "\n";

        Assert.Equal("the signature of known key example.com/foo does not verify", SignedNote.Open(note, [Vkey(ExampleVkey)]).Reason);
    }

    [Theory]
    [InlineData("text without newline")]
    [InlineData("bad\u0007bell\n")]
    [InlineData("")]
    public void Sign_InvalidText_Throws(string text)
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Sign(text, NoteSigner.Generate("k")));
    }

    [Fact]
    public void Sign_NoSigners_Throws()
    {
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("t\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("has+plus")]
    [InlineData("tab\there")]
    [InlineData("nbsp\u00a0here")]
    [InlineData("bell\u0007")]
    public void Generate_InvalidName_Throws(string name)
    {
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate(name));
    }

    public static TheoryData<string, string> BadVkeys => new()
    {
        { "example.com/foo+530d903a", "form" },
        { "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "does not match" },
        { "example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "does not match" },
        { "example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "8 hex" },
        { "example.com/foo+530d903z+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "8 hex" },
        { "example.com/foo+530d903a+AkyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "base64" },
        { "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2", "base64" },
        { "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k ", "base64" },
        { "example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "type 0x01" },
        { "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2kAA==", "32 bytes" },
        { "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "empty" },
        { "example com+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "space" },
    };

    [Theory]
    [MemberData(nameof(BadVkeys))]
    public void TryParse_BadVkey_ReasonNotException(string vkey, string reasonPart)
    {
        Assert.False(NoteVerifier.TryParse(vkey, out var verifier, out var reason));
        Assert.Null(verifier);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "does not match")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3", "form")]
    [InlineData("PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "PRIVATE+KEY+")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AoEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "type 0x01")]
    [InlineData("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKA==", "seed")]
    public void TryParse_BadPrivateKey_ReasonWithoutKeyMaterial(string privateKey, string reasonPart)
    {
        Assert.False(NoteSigner.TryParse(privateKey, out var signer, out var reason));
        Assert.Null(signer);
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
        Assert.DoesNotContain("AYEKFALV", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_UnicodeText_SignsUtf8Bytes()
    {
        var signer = NoteSigner.Generate("k");
        const string text = "Ognuno sta solo sul cuor della terra — è subito sera 🌅\n";

        var result = SignedNote.Open(SignedNote.Sign(text, signer), [signer.Verifier]);

        Assert.True(result.IsVerified, result.Reason);
        Assert.Equal(text, result.Text);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), Encoding.UTF8.GetByteCount(result.Text!));
    }

    private static NoteVerifier Vkey(string vkey)
    {
        Assert.True(NoteVerifier.TryParse(vkey, out var verifier, out var reason), reason);
        return verifier!;
    }
}
