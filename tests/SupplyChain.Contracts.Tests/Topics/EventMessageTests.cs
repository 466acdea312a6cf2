using System.Text;
using SupplyChain.Contracts.Signing;
using SupplyChain.Contracts.Topics;

namespace SupplyChain.Contracts.Tests.Topics;

public sealed class EventMessageTests
{
    private static Envelope Sample(string text)
    {
        using var signer = DeviceSigner.Create();
        return signer.Sign(Encoding.UTF8.GetBytes(text), "text/plain");
    }

    [Fact]
    public void TrySplit_OneEnvelope_IsTheWholeMessage()
    {
        var message = EventMessage.Encode(Sample("one"));

        Assert.True(EventMessage.TrySplit(message, out var envelopes, out var error));

        Assert.Equal(EventMessageError.None, error);
        Assert.Equal(message, Assert.Single(envelopes).ToArray());
    }

    [Fact]
    public void EncodeBatch_ThenSplit_GivesEachEnvelopesExactBytes()
    {
        Envelope[] batch = [Sample("one"), Sample("two"), Sample("three")];

        var message = EventMessage.EncodeBatch(batch);
        Assert.True(EventMessage.TrySplit(message, out var envelopes, out _));

        Assert.Equal((byte)'[', message[0]);
        Assert.Equal(batch.Select(e => EnvelopeCodec.Encode(e)), envelopes.Select(e => e.ToArray()));
    }

    [Fact]
    public void JoinBatch_EncodedEnvelopes_SameBytesAsEncodeBatch()
    {
        Envelope[] batch = [Sample("one"), Sample("two"), Sample("three")];

        Assert.Equal(EventMessage.EncodeBatch(batch), EventMessage.JoinBatch([.. batch.Select(e => (ReadOnlyMemory<byte>)EnvelopeCodec.Encode(e))]));
        Assert.Equal(EventMessage.EncodeBatch(batch[..1]), EventMessage.JoinBatch([EnvelopeCodec.Encode(batch[0])]));
        Assert.Throws<ArgumentException>(() => EventMessage.JoinBatch([]));
    }

    [Fact]
    public void TrySplit_WhitespaceAroundElements_ElementsExactWithoutIt()
    {
        var one = EnvelopeCodec.Encode(Sample("one"));
        byte[] message = [.. " [ \n"u8, .. one, .. " ,\t"u8, .. one, .. " ] \n"u8];

        Assert.True(EventMessage.TrySplit(message, out var envelopes, out _));

        Assert.Equal(2, envelopes.Count);
        Assert.All(envelopes, e => Assert.Equal(one, e.ToArray()));
    }

    [Fact]
    public void TrySplit_NonObjectElement_KeptForTheEnvelopeReaderToReject()
    {
        Assert.True(EventMessage.TrySplit("[{\"a\":1},42]"u8.ToArray(), out var envelopes, out _));

        Assert.Equal("42", Encoding.UTF8.GetString(envelopes[1].Span));
        Assert.False(EnvelopeCodec.TryDecode(envelopes[1].Span, out _, out var error));
        Assert.Equal(EnvelopeError.NotAnObject, error);
    }

    [Theory]
    [InlineData("", EventMessageError.MalformedJson)]
    [InlineData("{", EventMessageError.MalformedJson)]
    [InlineData("[{}", EventMessageError.MalformedJson)]
    [InlineData("{}{}", EventMessageError.MalformedJson)]
    [InlineData("[{}] x", EventMessageError.MalformedJson)]
    [InlineData("\"text\"", EventMessageError.NotObjectOrArray)]
    [InlineData("42", EventMessageError.NotObjectOrArray)]
    [InlineData("[]", EventMessageError.EmptyBatch)]
    public void TrySplit_BadMessage_RejectedWithReason(string message, EventMessageError expected)
    {
        Assert.False(EventMessage.TrySplit(Encoding.UTF8.GetBytes(message), out var envelopes, out var error));

        Assert.Equal(expected, error);
        Assert.Empty(envelopes);
    }

    [Fact]
    public void TrySplit_MoreThanMaxEnvelopes_TooManyEnvelopes()
    {
        var elements = string.Join(',', Enumerable.Repeat("{}", EventMessage.MaxEnvelopes + 1));

        Assert.True(EventMessage.TrySplit(Encoding.UTF8.GetBytes($"[{string.Join(',', Enumerable.Repeat("{}", EventMessage.MaxEnvelopes))}]"), out _, out _));
        Assert.False(EventMessage.TrySplit(Encoding.UTF8.GetBytes($"[{elements}]"), out _, out var error));
        Assert.Equal(EventMessageError.TooManyEnvelopes, error);
    }

    [Fact]
    public void TrySplit_OverTheLimit_TooLarge()
    {
        var message = Encoding.UTF8.GetBytes($"{{\"payload\":\"{new string('A', EventMessage.MaxMessageBytes)}\"}}");

        Assert.False(EventMessage.TrySplit(message, out _, out var error));
        Assert.Equal(EventMessageError.TooLarge, error);
        Assert.False(EventMessage.TrySplit("{}"u8.ToArray(), 1, out _, out error));
        Assert.Equal(EventMessageError.TooLarge, error);
    }

    [Fact]
    public void EncodeBatch_EmptyOrTooMany_Throws()
    {
        Assert.Throws<ArgumentException>(() => EventMessage.EncodeBatch([]));
        var one = Sample("x");
        Assert.Throws<ArgumentException>(() => EventMessage.EncodeBatch([.. Enumerable.Repeat(one, EventMessage.MaxEnvelopes + 1)]));
    }
}
