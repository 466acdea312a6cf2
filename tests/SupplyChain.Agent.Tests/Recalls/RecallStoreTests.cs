using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChain.Agent.Recalls;
using SupplyChain.Agent.Tests.Outbox;
using SupplyChain.Agent.Tests.Scanners;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Agent.Tests.Recalls;

/// <summary>The recall store with notes signed by a real Ed25519 note key, and a real data directory.</summary>
public sealed class RecallStoreTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SignedLists _lists = new();
    private readonly ListLogger<RecallStore> _log = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Offer_SignedListForThisSite_AppliedAndListedPackRefused()
    {
        var store = Open();

        var update = store.Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2"), ("B7", "R-1")));

        Assert.Equal(new RecallUpdate(RecallUpdateKind.Applied, 42, null), update);
        Assert.Equal("recalled (R-2)", store.RefusalFor(SignedLists.Parsed("A1")));
        Assert.Equal("recalled (R-1)", store.RefusalFor(SignedLists.Parsed("B7")));
        Assert.Null(store.RefusalFor(SignedLists.Parsed("A2")));
        Assert.Equal(new RecallStatus(true, 42, new DateTimeOffset(2026, 11, 24, 7, 0, 0, 123, TimeSpan.Zero), 2, 1, 0, 0, null), store.Status());
    }

    [Fact]
    public void Offer_SignedByAnotherKeyWithTheHubsName_RefusedCountedAndLogged()
    {
        var store = Open();
        var forger = NoteSigner.Generate(_lists.Hub.Name);

        var update = store.Offer(SignedLists.Note(forger, 50, SignedLists.Site, ("A1", "R-9")));

        Assert.Equal(RecallUpdateKind.Refused, update.Kind);
        Assert.StartsWith("signature:", update.Reason, StringComparison.Ordinal);
        Assert.Null(store.Current);
        Assert.Null(store.RefusalFor(SignedLists.Parsed("A1")));
        Assert.Equal(1, store.Status().Refused);
        Assert.Contains(_log.Messages, m => m.Contains("Recall list refused", StringComparison.Ordinal) && m.Contains("signature:", StringComparison.Ordinal));
    }

    [Fact]
    public void Offer_HubSignedTextAltered_RefusedAndHeldListStays()
    {
        var store = Open();
        store.Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2"), ("B7", "R-1")));

        // Lift the recall of A1 from a genuine note (the signature no longer matches the text).
        var genuine = Encoding.UTF8.GetString(_lists.Note(43, SignedLists.Site, ("A1", "R-2"), ("B7", "R-1")));
        var altered = genuine.Replace($"{SignedLists.Gtin} A1 R-2\n", string.Empty, StringComparison.Ordinal);
        Assert.NotEqual(genuine, altered);

        var update = store.Offer(Encoding.UTF8.GetBytes(altered));

        Assert.Equal(RecallUpdateKind.Refused, update.Kind);
        Assert.Equal(42, store.Current!.Version);
        Assert.Equal("recalled (R-2)", store.RefusalFor(SignedLists.Parsed("A1")));
    }

    [Fact]
    public void Offer_ListForAnotherSite_Refused()
    {
        var store = Open();

        var update = store.Offer(_lists.Note(42, SignedLists.OtherSite, ("A1", "R-2")));

        Assert.Equal(RecallUpdateKind.Refused, update.Kind);
        Assert.Equal($"the list is for site {SignedLists.OtherSiteGln}, this station is at {SignedLists.SiteGln}", update.Reason);
        Assert.Null(store.RefusalFor(SignedLists.Parsed("A1")));
    }

    [Fact]
    public void Offer_OlderVersionAfterNewer_IgnoredSoTheRecallStays()
    {
        var store = Open();
        store.Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));

        // A genuine but older list, as a broker replaying an old retained message would deliver it.
        var update = store.Offer(_lists.Note(41, SignedLists.Site));

        Assert.Equal(RecallUpdateKind.Older, update.Kind);
        Assert.Equal(41, update.Version);
        Assert.Equal("recalled (R-2)", store.RefusalFor(SignedLists.Parsed("A1")));
        Assert.Equal(1, store.Status().Older);
        Assert.Contains(_log.Messages, m => m.Contains("version 41 ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Offer_NewerVersionWithoutThePack_RecallLifted()
    {
        var store = Open();
        store.Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));

        var update = store.Offer(_lists.Note(57, SignedLists.Site));

        Assert.Equal(RecallUpdateKind.Applied, update.Kind);
        Assert.Null(store.RefusalFor(SignedLists.Parsed("A1")));
        Assert.Equal(0, store.Status().Packs);
    }

    [Fact]
    public void Offer_SameVersionAgain_UnchangedAndNotCountedAsApplied()
    {
        var store = Open();
        var note = _lists.Note(42, SignedLists.Site, ("A1", "R-2"));
        store.Offer(note);

        Assert.Equal(RecallUpdateKind.Unchanged, store.Offer(note).Kind);
        Assert.Equal(1, store.Status().Applied);
    }

    [Theory]
    [InlineData(new byte[0], "empty message")]
    [InlineData(new byte[] { 0xC3, 0x28 }, "not UTF-8")]
    [InlineData(new byte[] { 0x68, 0x69 }, "signature:")]
    public void Offer_NotANote_RefusedWithReason(byte[] payload, string reason)
    {
        var store = Open();

        var update = store.Offer(payload);

        Assert.Equal(RecallUpdateKind.Refused, update.Kind);
        Assert.StartsWith(reason, update.Reason, StringComparison.Ordinal);
        Assert.StartsWith(reason, store.Status().LastRefusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AfterAListWasApplied_ReloadsItWithoutTheBroker()
    {
        Open().Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));

        var restarted = Open();

        Assert.Equal(42, restarted.Current!.Version);
        Assert.Equal("recalled (R-2)", restarted.RefusalFor(SignedLists.Parsed("A1")));
        Assert.False(File.Exists(_directory.File(RecallStore.FileName + ".tmp")));

        // The reloaded version still guards against a replayed older list.
        Assert.Equal(RecallUpdateKind.Older, restarted.Offer(_lists.Note(40, SignedLists.Site)).Kind);
    }

    [Fact]
    public void Open_PersistedFileEditedOnDisk_NotTrusted()
    {
        Open().Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));
        var path = _directory.File(RecallStore.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("R-2", "R-3", StringComparison.Ordinal));

        var restarted = Open();

        Assert.Null(restarted.Current);
        Assert.Equal(1, restarted.Status().Refused);
    }

    [Fact]
    public void Open_PersistedListOfAnotherHubKey_NotTrusted()
    {
        Open().Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));

        var rekeyed = RecallStore.Open(SignedLists.Site, NoteSigner.Generate("hub.coldtrace.test/log").Verifier, _directory.Path, NullLogger<RecallStore>.Instance);

        Assert.Null(rekeyed.Current);
    }

    [Fact]
    public void Open_NoHubKey_CheckOffAndEveryListRefused()
    {
        var store = RecallStore.Open(SignedLists.Site, null, _directory.Path, NullLogger<RecallStore>.Instance);

        var update = store.Offer(_lists.Note(42, SignedLists.Site, ("A1", "R-2")));

        Assert.False(store.IsEnabled);
        Assert.Equal(RecallUpdateKind.Refused, update.Kind);
        Assert.Equal(new RecallStatus(false, null, null, 0, 0, 0, 0, null), store.Status());
        Assert.Null(store.RefusalFor(SignedLists.Parsed("A1")));
        Assert.False(File.Exists(_directory.File(RecallStore.FileName)));
    }

    private RecallStore Open() => RecallStore.Open(SignedLists.Site, _lists.Hub.Verifier, _directory.Path, _log);
}
