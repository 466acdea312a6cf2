using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NSec.Cryptography;
using SupplyChain.Contracts.Events;
using SupplyChain.Contracts.Signing;

namespace SupplyChain.Contracts.Tests.Events;

/// <summary>PROTOCOL.md §2.5 and §3.7 show what the code writes; these tests keep the document honest.</summary>
public sealed partial class ProtocolDocumentTests
{
    private static readonly string Protocol = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "PROTOCOL.md"));

    [Fact]
    public void Examples_InSection2_MatchTheFactories()
    {
        var section = Between(Protocol, "### 2.5 Examples", "## 3. Envelopes");
        var blocks = JsonBlock().Matches(section).Select(m => JsonNode.Parse(m.Groups[1].Value)).ToList();
        var kinds = Enum.GetValues<CustodyEventKind>();

        Assert.Equal(kinds.Length, blocks.Count);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(kinds[0]))), blocks[0]));
        for (var i = 1; i < kinds.Length; i++)
        {
            var written = JsonNode.Parse(EventCodec.Encode(EventFixtures.Example(kinds[i])))!["epcisBody"]!["eventList"]![0];
            Assert.True(JsonNode.DeepEquals(written, blocks[i]), $"example of {kinds[i]} differs from the code");
        }
    }

    [Fact]
    public void Envelope_InSection3_VerifiesWithRfc8032PublicKey()
    {
        var section = Between(Protocol, "### 3.7 Worked example", "## 4. The log");
        var envelopeJson = JsonBlock().Matches(section).Single().Groups[1].Value.Trim();
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519,
            Convert.FromHexString("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), KeyBlobFormat.RawPublicKey);

        Assert.True(EnvelopeCodec.TryDecode(Encoding.UTF8.GetBytes(envelopeJson), out var envelope, out var error), error.ToString());
        Assert.True(EnvelopeVerifier.Verify(envelope!, publicKey));
        Assert.Contains(envelope!.EventId.ToString(), section, StringComparison.Ordinal);
        Assert.True(EventCodec.TryDecode(envelope.Payload.Span, out var decoded, out _));
        Assert.Equal(CustodyEventKind.Dispensing, decoded!.Kind);
    }

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..to];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplyChain.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("SupplyChain.sln not found above " + AppContext.BaseDirectory);
    }
}
