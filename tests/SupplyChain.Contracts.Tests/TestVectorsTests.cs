namespace SupplyChain.Contracts.Tests;

public sealed class TestVectorsTests
{
    [Fact]
    public void Root_SharedFolder_HoldsTheEpcisSchema()
    {
        Assert.True(File.Exists(TestVectors.PathOf("epcis", "EPCIS-JSON-Schema.json")));
    }
}
