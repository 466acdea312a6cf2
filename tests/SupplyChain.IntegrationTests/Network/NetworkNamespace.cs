using System.Diagnostics;
using System.Globalization;

namespace SupplyChain.IntegrationTests.Network;

/// <summary>
/// A network namespace this test creates for itself (issue #7: network faults only there, never on the host's own
/// interfaces or firewall): <c>ct-…</c> joined to the host by a veth pair on a private /30 (<see cref="HostAddress"/> on
/// the host end, <see cref="AgentAddress"/> inside), its loopback up. Faults are iptables rules INSIDE the namespace
/// that silently drop one TCP port's traffic (no RST, no ICMP: a half-open path). Deleting the namespace removes the
/// veth pair and every rule with it.
/// </summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    public const string IpTool = "/usr/sbin/ip";
    public const string IptablesTool = "/usr/sbin/iptables";

    private static int _created;

    private NetworkNamespace(string name, string hostInterface, string agentInterface, string hostAddress, string agentAddress)
    {
        Name = name;
        HostInterface = hostInterface;
        AgentInterface = agentInterface;
        HostAddress = hostAddress;
        AgentAddress = agentAddress;
    }

    public string Name { get; }

    public string HostInterface { get; }

    public string AgentInterface { get; }

    /// <summary>The host end of the veth pair: a broker bound here is reachable from inside the namespace only.</summary>
    public string HostAddress { get; }

    public string AgentAddress { get; }

    /// <summary>Runs a program inside the namespace: <c>ip netns exec NAME program …</c>.</summary>
    public IReadOnlyList<string> ExecPrefix => [IpTool, "netns", "exec", Name];

    /// <summary>Creates the namespace and the veth pair on a /30 in 10.213.0.0/16 that no host interface uses.</summary>
    public static async Task<NetworkNamespace> CreateAsync()
    {
        Assert.True(File.Exists(IpTool), $"{IpTool} is missing: install Debian's iproute2.");
        Assert.True(File.Exists(IptablesTool), $"{IptablesTool} is missing: install Debian's iptables (tests/run.sh does).");
        var used = await RunAsync(IpTool, "-4", "-o", "addr", "show");
        var unique = $"{Environment.ProcessId % 100_000}-{Interlocked.Increment(ref _created)}";
        var tag = Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];
        string prefix;
        do
        {
            prefix = string.Create(CultureInfo.InvariantCulture, $"10.213.{Random.Shared.Next(256)}.");
        }
        while (used.Contains(" " + prefix, StringComparison.Ordinal));

        var block = Random.Shared.Next(64) * 4;
        var space = new NetworkNamespace(
            "ct-" + unique,
            "cth" + tag,
            "cta" + tag,
            prefix + (block + 1).ToString(CultureInfo.InvariantCulture),
            prefix + (block + 2).ToString(CultureInfo.InvariantCulture));
        try
        {
            await RunAsync(IpTool, "netns", "add", space.Name);
            await RunAsync(IpTool, "link", "add", space.HostInterface, "type", "veth", "peer", "name", space.AgentInterface);
            await RunAsync(IpTool, "link", "set", space.AgentInterface, "netns", space.Name);
            await RunAsync(IpTool, "addr", "add", space.HostAddress + "/30", "dev", space.HostInterface);
            await RunAsync(IpTool, "link", "set", space.HostInterface, "up");
            await space.ExecAsync(IpTool, "addr", "add", space.AgentAddress + "/30", "dev", space.AgentInterface);
            await space.ExecAsync(IpTool, "link", "set", space.AgentInterface, "up");
            await space.ExecAsync(IpTool, "link", "set", "lo", "up");
            return space;
        }
        catch
        {
            await space.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// From now on every packet between the namespace and <see cref="HostAddress"/>:<paramref name="port"/> is dropped in
    /// both directions without an answer, so an open TCP connection stays "established" at both ends.
    /// </summary>
    public async Task DropAsync(int port)
    {
        var text = port.ToString(CultureInfo.InvariantCulture);
        await ExecAsync(IptablesTool, "-A", "OUTPUT", "-p", "tcp", "-d", HostAddress, "--dport", text, "-j", "DROP");
        await ExecAsync(IptablesTool, "-A", "INPUT", "-p", "tcp", "-s", HostAddress, "--sport", text, "-j", "DROP");
    }

    /// <summary>Removes the drop rules: the path works again.</summary>
    public async Task RestoreAsync()
    {
        await ExecAsync(IptablesTool, "-F", "OUTPUT");
        await ExecAsync(IptablesTool, "-F", "INPUT");
    }

    /// <summary>Deletes the namespace (its veth end, and with it the host end, and its rules); run after every process in it ended.</summary>
    public async ValueTask DisposeAsync()
    {
        await TryRunAsync(IpTool, "netns", "delete", Name);
        if ((await TryRunAsync(IpTool, "link", "show", HostInterface)).Exit == 0)
        {
            await TryRunAsync(IpTool, "link", "delete", HostInterface);
        }
    }

    private Task<string> ExecAsync(string program, params string[] arguments) =>
        RunAsync(IpTool, ["netns", "exec", Name, program, .. arguments]);

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var (exit, output) = await TryRunAsync(program, arguments);
        Assert.True(exit == 0, $"{program} {string.Join(' ', arguments)} failed ({exit}): {output}");
        return output;
    }

    // Cleanup runs even when a step failed; it reports instead of asserting.
    private static async Task<(int Exit, string Output)> TryRunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
