using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SupplyChain.Agent.Identity;
using SupplyChain.Agent.Tests.Outbox;

namespace SupplyChain.Agent.Tests.Identity;

public sealed class IdentityCommandsTests
{
    [Fact]
    public void Keygen_ThenIdentity_SameKeyAndExactEnrolmentLine()
    {
        using var directory = new TempDirectory();
        string[] settings = ["--Station:Role=pharmacy", "--Station:SiteGln=9506000134383", "--Station:DeviceId=pharmacy-7", $"--Station:DataDirectory={directory.Path}"];

        var (keygenCode, keygenOut, _) = Run(["keygen", .. settings]);
        var (identityCode, identityOut, _) = Run(["identity", .. settings]);

        Assert.Equal(0, keygenCode);
        Assert.Equal(0, identityCode);
        Assert.Equal(keygenOut, identityOut);
        using var identity = DeviceIdentity.TryLoad(directory.Path, "pharmacy-7")!;
        Assert.Equal(
            [
                "device id:  pharmacy-7",
                $"key id:     {identity.KeyId}",
                $"public key: {identity.PublicKeyBase64}",
                "enrol at the hub with:",
                $"hub devices enroll --id pharmacy-7 --key {identity.PublicKeyBase64} --site 9506000134383 --role pharmacy",
            ],
            identityOut.TrimEnd().Split(Environment.NewLine));
    }

    [Fact]
    public void Keygen_Twice_KeepsTheFirstKey()
    {
        using var directory = new TempDirectory();
        string[] settings = ["--Station:Role=pharmacy", "--Station:SiteGln=9506000134383", "--Station:DeviceId=p7", $"--Station:DataDirectory={directory.Path}"];
        var (_, first, _) = Run(["keygen", .. settings]);

        var (code, second, error) = Run(["keygen", .. settings]);

        Assert.Equal(0, code);
        Assert.Equal(first, second);
        Assert.Contains("kept", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_NoKeyYet_ExitOneAndNoKeyMade()
    {
        using var directory = new TempDirectory();

        var (code, _, error) = Run(["identity", "--Station:Role=pharmacy", "--Station:SiteGln=9506000134383", "--Station:DeviceId=p7", $"--Station:DataDirectory={directory.Path}"]);

        Assert.Equal(1, code);
        Assert.Contains("keygen", error, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File(DeviceIdentity.KeyFileName)));
    }

    [Fact]
    public void Identity_BadSiteGln_ExitTwoNamingTheKey()
    {
        using var directory = new TempDirectory();

        var (code, _, error) = Run(["keygen", "--Station:Role=pharmacy", "--Station:SiteGln=9506000134384", "--Station:DeviceId=p7", $"--Station:DataDirectory={directory.Path}"]);

        Assert.Equal(2, code);
        Assert.Contains("Station:SiteGln", error, StringComparison.Ordinal);
        Assert.False(File.Exists(directory.File(DeviceIdentity.KeyFileName)));
    }

    private static (int Code, string Output, string Error) Run(string[] args)
    {
        var root = new RootCommand { TreatUnmatchedTokensAsErrors = false };
        root.Subcommands.Add(IdentityCommands.Keygen(BuildHost));
        root.Subcommands.Add(IdentityCommands.Show(BuildHost));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private static IHost BuildHost(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddCommandLine(args);
        builder.AddAgentOptions();
        return builder.Build();
    }
}
