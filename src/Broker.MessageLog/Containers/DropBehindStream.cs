using Broker.MessageLog.Writing;

namespace Broker.MessageLog.Containers;

/// <summary>
/// A segment file read once, front to back (with forward seeks), that drops what it has read from the page cache as
/// it goes, and the whole file when disposed: a scan of a 256 MiB segment would otherwise leave all of it cached
/// (docs/message-log.md#page-cache).
/// </summary>
internal sealed class DropBehindStream(FileStream file) : Stream
{
    private const int Chunk = 4 << 20;
    private long _dropped;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = value;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = file.Read(buffer);
        var through = file.Position & ~(long)(NativeFile.PageSize - 1);
        if (through - _dropped >= Chunk)
        {
            NativeFile.DropFromPageCache(file.SafeFileHandle, _dropped, through - _dropped);
            _dropped = through;
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            NativeFile.DropFromPageCache(file.SafeFileHandle, 0, 0);
            file.Dispose();
        }

        base.Dispose(disposing);
    }
}
