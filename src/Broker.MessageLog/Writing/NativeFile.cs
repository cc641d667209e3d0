using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Broker.MessageLog.Writing;

/// <summary>Durability primitives: <c>fdatasync</c> for a file's data, <c>fsync</c> of a directory after a file was created.</summary>
internal static partial class NativeFile
{
    public static readonly int PageSize = Environment.SystemPageSize;

    public static void FlushData(SafeFileHandle handle)
    {
        if (OperatingSystem.IsLinux())
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()}).");
            }

            return;
        }

        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Makes a new directory entry durable (a created or deleted segment file).</summary>
    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Drops clean pages of a file from the page cache (<c>posix_fadvise(POSIX_FADV_DONTNEED)</c>; <paramref name="length"/>
    /// 0: to the end). Log bytes are written once and read once, by the archiver, much later: left cached they only
    /// grow the page cache by every byte logged (docs/message-log.md#page-cache). Advice only: a failure changes nothing.
    /// </summary>
    public static void DropFromPageCache(SafeFileHandle handle, long offset, long length)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = posix_fadvise((int)handle.DangerousGetHandle(), offset, length, 4 /* POSIX_FADV_DONTNEED */);
        }
    }

    [LibraryImport("libc")]
    private static partial int posix_fadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
