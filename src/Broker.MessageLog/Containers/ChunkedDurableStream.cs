namespace Broker.MessageLog.Containers;

/// <summary>
/// A file stream that makes what it has written durable every few MiB, so that writing a large archive never leaves
/// a mountain of dirty pages for one final flush: that flush would stall the message log's own <c>fdatasync</c>
/// (same disk, same journal) and with it every exchange, for as long as the mountain takes to write.
/// </summary>
internal sealed class ChunkedDurableStream(FileStream file, long chunkBytes = 8L << 20) : Stream
{
    private long _unflushed;

    public override bool CanRead => false;

    public override bool CanSeek => file.CanSeek;

    public override bool CanWrite => true;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        file.Write(buffer);
        _unflushed += buffer.Length;
        if (_unflushed >= chunkBytes)
        {
            file.Flush();
            Writing.NativeFile.FlushData(file.SafeFileHandle);
            _unflushed = 0;
        }
    }

    public override void Flush() => file.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    public override void SetLength(long value) => file.SetLength(value);
}
