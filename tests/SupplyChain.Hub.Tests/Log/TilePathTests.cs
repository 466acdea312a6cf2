using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Tests.Log;

public sealed class TilePathTests
{
    // Examples from C2SP tlog-tiles §"Merkle Tree": index 1234067 is x001/x234/067; partial tiles end in .p/<W>.
    [Theory]
    [InlineData("0/x001/x234/067", false, 0, 1_234_067, 256)]
    [InlineData("0/x001/x234/067.p/8", false, 0, 1_234_067, 8)]
    [InlineData("1/000", false, 1, 0, 256)]
    [InlineData("entries/x001/x234/067", true, 0, 1_234_067, 256)]
    [InlineData("entries/005.p/7", true, 0, 5, 7)]
    public void TryParse_SpecExamples_ReadsLevelIndexAndWidth(string path, bool entries, int level, long index, int width)
    {
        Assert.True(TilePath.TryParse(path, out var tile));
        Assert.Equal(new TilePath(entries, level, index, width), tile);
        Assert.Equal("tile/" + path, tile.Format());
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0/1234")]
    [InlineData("0/001/002")]
    [InlineData("0/x001")]
    [InlineData("0/01")]
    [InlineData("64/000")]
    [InlineData("00/000")]
    [InlineData("0/000.p/0")]
    [InlineData("0/000.p/256")]
    [InlineData("0/000.p/08")]
    [InlineData("entries")]
    [InlineData("../../etc/passwd")]
    [InlineData("0/x999/x999/x999/x999/x999/x999/x999/000")]
    public void TryParse_MalformedPaths_AreRefused(string path)
    {
        Assert.False(TilePath.TryParse(path, out _));
    }
}
