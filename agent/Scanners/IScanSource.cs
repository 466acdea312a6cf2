namespace SupplyChain.Agent.Scanners;

/// <summary>
/// A barcode scanner (DESIGN.md §5): a hardware seam. Yields each complete scan as the raw string the scanner sent,
/// without its terminator, with FNC1 as GS (0x1D). Parsing GS1 data is the caller's job.
/// </summary>
internal interface IScanSource
{
    IAsyncEnumerable<string> ReadScansAsync(CancellationToken cancellationToken);
}
