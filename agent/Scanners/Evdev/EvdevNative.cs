using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SupplyChain.Agent.Scanners.Evdev;

/// <summary>The three libc calls .NET has no API for on a character device: ioctl (EVIOCGRAB), poll and read.</summary>
internal static class EvdevNative
{
    /// <summary>EVIOCGRAB = _IOW('E', 0x90, int) (linux/input.h): direction write (1) &lt;&lt; 30 | size 4 &lt;&lt; 16 | 'E' &lt;&lt; 8 | 0x90.</summary>
    public const uint EviocGrab = (1u << 30) | (sizeof(int) << 16) | ('E' << 8) | 0x90;

    public const short PollIn = 0x001;
    public const short PollErr = 0x008;
    public const short PollHup = 0x010;
    public const short PollNval = 0x020;

    private const int EIntr = 4;

    /// <summary>Takes the device for this process alone, so scans do not also type into a console.</summary>
    public static bool TryGrab(SafeFileHandle handle, out int errno)
    {
        // EVIOCGRAB takes its argument by value: non-zero grabs, zero releases.
        var result = Ioctl(handle, EviocGrab, 1);
        errno = result == 0 ? 0 : Marshal.GetLastPInvokeError();
        return result == 0;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> and returns poll's revents (0 on timeout).</summary>
    public static short Poll(SafeFileHandle handle, int timeoutMilliseconds)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = new PollFd { Fd = (int)handle.DangerousGetHandle(), Events = PollIn };
            var result = PollNative(ref fd, 1, timeoutMilliseconds);
            if (result < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno == EIntr ? (short)0 : throw new IOException($"poll failed: {Marshal.GetPInvokeErrorMessage(errno)}");
            }

            return result == 0 ? (short)0 : fd.Revents;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Reads whatever is available; 0 means end of file.</summary>
    public static int Read(SafeFileHandle handle, byte[] buffer)
    {
        var result = ReadNative(handle, buffer, (nuint)buffer.Length);
        if (result < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"read failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }

        return (int)result;
    }

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static extern int Ioctl(SafeFileHandle fd, nuint request, nint argument);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int PollNative(ref PollFd fds, nuint count, int timeout);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    private static extern nint ReadNative(SafeFileHandle fd, byte[] buffer, nuint count);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
