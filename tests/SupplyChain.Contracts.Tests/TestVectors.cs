namespace SupplyChain.Contracts.Tests;

/// <summary>Finds <c>../shared/testvectors</c> beside the repository root. A missing folder fails the test, never skips it.</summary>
internal static class TestVectors
{
    public static string Root { get; } = Locate();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplyChain.sln")))
            {
                var vectors = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "testvectors"));
                return Directory.Exists(vectors)
                    ? vectors
                    : throw new DirectoryNotFoundException($"Test vectors not found at {vectors}; clone the repository beside shared/.");
            }
        }

        throw new DirectoryNotFoundException("SupplyChain.sln not found above " + AppContext.BaseDirectory);
    }
}
