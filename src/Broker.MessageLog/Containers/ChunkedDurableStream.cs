using System.Security.Cryptography;

namespace Broker.MessageLog.Containers;

/// <summary>
/// A write-only, forward-only file stream that makes what it has written durable every few MiB, so that writing a large
/// archive never leaves a mountain of dirty pages for one final flush: that flush would stall the message log's own
/// <c>fdatasync</c> (same disk, same journal) and with it every exchange, for as long as the mountain takes to write.
/// It hashes what it writes, so the finished file need not be read back for its digest. Not seekable, so a ZIP written
/// through it carries data descriptors instead of headers patched afterwards, as an evidence container sent over HTTP does.
/// </summary>
internal sealed class ChunkedDurableStream(FileStream file, long chunkBytes = 8L << 20) : Stream
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _unflushed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 (lowercase hex) of everything written so far; call once, when the file is complete.</summary>
    public string Sha256() => Convert.ToHexStringLower(_sha256.GetHashAndReset());

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        file.Write(buffer);
        _sha256.AppendData(buffer);
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

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256.Dispose();
        }

        base.Dispose(disposing);
    }
}
