namespace SupplyChain.Agent.Station;

/// <summary>The Linux boot id (<c>ct:bootId</c>, PROTOCOL.md §2.2): a UUID the kernel makes fresh at every boot.</summary>
internal static class BootId
{
    public const string DefaultPath = "/proc/sys/kernel/random/boot_id";

    /// <summary>Reads the boot id; "unknown" when the file does not exist (not Linux, or a container without /proc).</summary>
    public static string Read(string path = DefaultPath)
    {
        var text = File.Exists(path) ? File.ReadAllText(path).Trim() : string.Empty;
        return text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') ? text : "unknown";
    }
}
