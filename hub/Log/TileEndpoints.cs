using System.Buffers.Binary;
using Microsoft.AspNetCore.Http.HttpResults;
using SupplyChain.Contracts.Ledger;

namespace SupplyChain.Hub.Log;

/// <summary>
/// The C2SP tlog-tiles read API (<c>/checkpoint</c>, <c>/tile/…</c>, <c>/tile/entries/…</c>), so standard transparency
/// tooling can fetch and check the whole log. Only what the latest checkpoint covers is served.
/// </summary>
internal static class TileEndpoints
{
    public static IEndpointRouteBuilder MapTileApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/checkpoint", LogEndpoints.Checkpoint).WithTags("Tiles");
        app.MapGet("/tile/{**path}", Tile).WithTags("Tiles");
        return app;
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Tile(string path, LogReader log, HttpResponse response)
    {
        if (!TilePath.TryParse(path, out var tile))
        {
            return TypedResults.Problem(detail: $"'{path}' is not a tlog-tiles path.", statusCode: StatusCodes.Status400BadRequest, title: "Bad tile path");
        }

        // How many nodes of this tile's base level the signed tree has, and so how wide this tile is at that size.
        var size = log.Size;
        var nodes = tile.IsEntries ? size : size >> (TileId.Height * tile.Level);
        var available = Math.Min(TileId.Width, nodes - (tile.Index * TileId.Width));
        if (available < tile.Width)
        {
            return TypedResults.Problem(detail: $"The signed tree (size {size}) does not have that tile yet.", statusCode: StatusCodes.Status404NotFound, title: "No such tile");
        }

        if (tile.Width == TileId.Width)
        {
            // A full tile never changes again.
            response.Headers.CacheControl = "public, max-age=31536000, immutable";
        }

        var bytes = tile.IsEntries ? EntryBundle(log, tile) : HashTile(log, tile);
        return bytes is null
            ? TypedResults.Problem(detail: "The tile is missing from storage.", statusCode: StatusCodes.Status404NotFound, title: "No such tile")
            : TypedResults.File(bytes, "application/octet-stream");
    }

    private static byte[]? HashTile(LogReader log, TilePath tile)
    {
        var stored = log.Tile(new TileId(tile.Level, tile.Index));
        var length = tile.Width * Rfc9162.HashSize;
        return stored is null || stored.Length < length ? null : stored[..length];
    }

    // tlog-tiles §"Log Entries": a sequence of big-endian uint16 length-prefixed entries.
    private static byte[]? EntryBundle(LogReader log, TilePath tile)
    {
        var entries = log.Entries(tile.Index * TileId.Width, tile.Width);
        if (entries.Count != tile.Width)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        Span<byte> prefix = stackalloc byte[2];
        foreach (var entry in entries)
        {
            BinaryPrimitives.WriteUInt16BigEndian(prefix, checked((ushort)entry.Leaf.Length));
            buffer.Write(prefix);
            buffer.Write(entry.Leaf);
        }

        return buffer.ToArray();
    }
}
