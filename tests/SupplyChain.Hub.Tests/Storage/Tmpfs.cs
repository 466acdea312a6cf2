using System.Diagnostics;

namespace SupplyChain.Hub.Tests.Storage;

/// <summary>
/// A small real filesystem for disk-full tests: a tmpfs of a given size mounted on a fresh temporary directory
/// (<c>mount -t tmpfs -o size=…</c>; the tests run as root, tests/run.sh checks <c>mount</c> is there), filled on demand
/// with a filler file and unmounted on dispose. Not mounting is a failure that says why, never a skip.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private const string FillerName = "filler";

    public Tmpfs(long bytes)
    {
        Path = Directory.CreateTempSubdirectory("coldtrace-tmpfs-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", Path);
        if (code != 0)
        {
            Directory.Delete(Path);
            throw new InvalidOperationException($"mount -t tmpfs failed ({code}): {output}. The disk-full tests need root and util-linux mount (tests/run.sh).");
        }
    }

    public string Path { get; }

    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes the filler until at most <paramref name="leaveBytes"/> are free (0: until the kernel says ENOSPC).</summary>
    public void Fill(long leaveBytes = 0)
    {
        var chunk = new byte[4096];
        using var filler = new FileStream(File(FillerName), FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        try
        {
            while (FreeBytes > leaveBytes)
            {
                filler.Write(chunk);
            }
        }
        catch (IOException e) when (e.HResult == 28)
        {
            // ENOSPC: full.
        }
    }

    /// <summary>Deletes the filler: the space comes back at once.</summary>
    public void Unfill() => System.IO.File.Delete(File(FillerName));

    public void Dispose()
    {
        // Lazy: a process the test started may still hold a file open; the mount goes when it lets go.
        Run("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static (int Code, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}
