using System.Diagnostics;

namespace SupplyChain.IntegrationTests;

/// <summary>Finds and starts the programs the integration tests run as real child processes.</summary>
internal static class ChildProcess
{
    /// <summary>The built dll of a project under tests/ or the repository root, in the same configuration as this test.</summary>
    public static string ProjectDll(string relativeProjectDirectory, string assemblyName)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory); // …/tests/SupplyChain.IntegrationTests/bin/<Configuration>/net10.0/
        var configuration = testBin.Parent!.Name;
        var framework = testBin.Name;
        var root = testBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, relativeProjectDirectory, "bin", configuration, framework, assemblyName + ".dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build {relativeProjectDirectory} first: {dll} is missing.");
    }

    public static Process StartDotnet(string dll, params string[] arguments) => StartDotnet([], redirectInput: false, dll, arguments);

    /// <summary>Starts the dll with <paramref name="environment"/> added to this process's environment.</summary>
    public static Process StartDotnet(string dll, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        StartDotnet([], redirectInput: false, dll, arguments, environment);

    /// <summary>
    /// <c>dotnet <paramref name="dll"/></c> run through <paramref name="prefix"/> when it has words (e.g. <c>ip netns exec
    /// NAME</c>, which execs it in that network namespace under the same process id), with standard input redirected
    /// when <paramref name="redirectInput"/>, and <paramref name="environment"/> added to this process's environment.
    /// </summary>
    public static Process StartDotnet(
        IReadOnlyList<string> prefix, bool redirectInput, string dll, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(prefix.Count == 0 ? "dotnet" : prefix[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var word in prefix.Skip(1))
        {
            info.ArgumentList.Add(word);
        }

        if (prefix.Count > 0)
        {
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
    }
}
