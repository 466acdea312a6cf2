using System.Globalization;

namespace SupplyChain.Hub.Log;

/// <summary>
/// Paths of the C2SP tlog-tiles API: <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> and <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>,
/// where N is written in three-digit groups, all but the last prefixed with "x" (<c>x001/x234/067</c>).
/// </summary>
internal readonly record struct TilePath(bool IsEntries, int Level, long Index, int Width)
{
    /// <summary>Parses the part after <c>tile/</c>. Width is 256 for a full tile.</summary>
    public static bool TryParse(string path, out TilePath tile)
    {
        tile = default;
        var parts = path.Split('/');
        var isEntries = parts.Length > 0 && parts[0] == "entries";
        int level = 0;
        if (!isEntries && (parts.Length == 0 || !TryParseLevel(parts[0], out level)))
        {
            return false;
        }

        var rest = parts.Skip(1).ToList();
        var width = TileId.Width;
        if (rest.Count >= 2 && rest[^2].EndsWith(".p", StringComparison.Ordinal))
        {
            if (!int.TryParse(rest[^1], NumberStyles.None, CultureInfo.InvariantCulture, out width)
                || width is < 1 or >= TileId.Width || rest[^1] != width.ToString(CultureInfo.InvariantCulture))
            {
                return false;
            }

            rest[^2] = rest[^2][..^2];
            rest.RemoveAt(rest.Count - 1);
        }

        if (rest.Count == 0)
        {
            return false;
        }

        long index = 0;
        for (var i = 0; i < rest.Count; i++)
        {
            var element = rest[i];
            var isLast = i == rest.Count - 1;
            if (!isLast)
            {
                if (!element.StartsWith('x'))
                {
                    return false;
                }

                element = element[1..];
            }

            if (element.Length != 3 || !element.All(char.IsAsciiDigit) || index > (long.MaxValue / 1000) - 1000)
            {
                return false;
            }

            index = (index * 1000) + int.Parse(element, CultureInfo.InvariantCulture);
        }

        tile = new TilePath(isEntries, level, index, width);
        return true;
    }

    /// <summary>The path of a tile in the tlog-tiles layout, e.g. <c>tile/0/x001/234</c> or <c>tile/entries/005.p/7</c>.</summary>
    public string Format()
    {
        var groups = new List<string>();
        var n = Index;
        do
        {
            groups.Insert(0, (n % 1000).ToString("D3", CultureInfo.InvariantCulture));
            n /= 1000;
        }
        while (n > 0);

        for (var i = 0; i < groups.Count - 1; i++)
        {
            groups[i] = "x" + groups[i];
        }

        var head = IsEntries ? "tile/entries/" : $"tile/{Level}/";
        var width = Width < TileId.Width ? $".p/{Width}" : "";
        return head + string.Join('/', groups) + width;
    }

    private static bool TryParseLevel(string text, out int level) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out level)
        && level is >= 0 and <= 63 && text == level.ToString(CultureInfo.InvariantCulture);
}
