using System.Runtime.InteropServices;
using System.Text;

namespace SupplyChain.Agent.Tests.Scanners.Serial;

/// <summary>
/// A Linux pseudo-terminal pair: the reader under test opens <see cref="PortName"/> as if it were /dev/ttyACM0, and the
/// test plays the scanner by writing to the master side. Disposing the master hangs the port up, like an unplug.
/// </summary>
internal sealed class PseudoTerminal : IDisposable
{
    private const int ORdWr = 0x2;
    private const int ONoCtty = 0x100;
    private int _master;

    public PseudoTerminal()
    {
        _master = PosixOpenPt(ORdWr | ONoCtty);
        if (_master < 0 || GrantPt(_master) != 0 || UnlockPt(_master) != 0)
        {
            throw new IOException($"no pseudo-terminal: errno {Marshal.GetLastPInvokeError()}");
        }

        var name = new byte[128];
        if (PtsNameR(_master, name, (nuint)name.Length) != 0)
        {
            throw new IOException($"ptsname_r failed: errno {Marshal.GetLastPInvokeError()}");
        }

        PortName = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
    }

    public string PortName { get; }

    public void Write(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        if (WriteNative(_master, bytes, (nuint)bytes.Length) != bytes.Length)
        {
            throw new IOException($"write failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public void Dispose()
    {
        if (_master >= 0)
        {
            _ = Close(_master);
            _master = -1;
        }
    }

    [DllImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static extern int PosixOpenPt(int flags);

    [DllImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static extern int GrantPt(int fd);

    [DllImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static extern int UnlockPt(int fd);

    [DllImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    private static extern int PtsNameR(int fd, [Out] byte[] buffer, nuint length);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    private static extern nint WriteNative(int fd, byte[] buffer, nuint count);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
