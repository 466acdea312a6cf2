using System.Diagnostics;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace SupplyChain.Benchmarks;

/// <summary>The machine's own limits, measured in the same run as the figures compared with them.</summary>
internal static class MachineLimits
{
    /// <summary>RFC 9162 leaf hashes per second on one core, for leaves of <paramref name="leafSize"/> bytes.</summary>
    public static double Sha256LeafHashesPerSecond(int leafSize, TimeSpan duration)
    {
        var leaf = new byte[leafSize + 1];
        Span<byte> hash = stackalloc byte[32];
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            for (var i = 0; i < 1000; i++)
            {
                leaf[1] = (byte)i;
                SHA256.HashData(leaf, hash);
            }

            count += 1000;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Ed25519 verifications per second (NSec) on <paramref name="threads"/> threads.</summary>
    public static double Ed25519VerificationsPerSecond(int threads, TimeSpan duration)
    {
        var algorithm = SignatureAlgorithm.Ed25519;
        using var key = Key.Create(algorithm);
        var message = new byte[600];
        var signature = algorithm.Sign(key, message);
        long total = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            long count = 0;
            while (clock.Elapsed < duration)
            {
                for (var i = 0; i < 100; i++)
                {
                    if (!algorithm.Verify(key.PublicKey, message, signature))
                    {
                        throw new InvalidOperationException("Ed25519 self-check failed.");
                    }
                }

                count += 100;
            }

            Interlocked.Add(ref total, count);
        });
        return total / clock.Elapsed.TotalSeconds;
    }
}
