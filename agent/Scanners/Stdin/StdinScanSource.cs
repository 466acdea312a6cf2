namespace SupplyChain.Agent.Scanners.Stdin;

/// <summary>Scans typed or piped into standard input, one per line: for development without a scanner.</summary>
internal sealed class StdinScanSource(Fnc1Substitute substitute) : IScanSource
{
    public async IAsyncEnumerable<string> ReadScansAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var stdin = Console.OpenStandardInput();
        await foreach (var scan in StreamScanReader.ReadScansAsync(stdin, substitute, cancellationToken).ConfigureAwait(false))
        {
            yield return scan;
        }
    }
}
