using System.Security.Cryptography;

namespace Broker.MessageLog.Containers;

/// <summary>
/// A container entry being written: compresses into the ZIP, hashes and counts as it goes, and lists the entry's
/// digest in <see cref="ContainerWriter.Entries"/> when disposed.
/// </summary>
internal sealed class EntryStream(Stream entry, string name, List<EntryDigest> entries) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _length;
    private bool _disposed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        entry.Write(buffer);
        _length += buffer.Length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() => entry.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            entry.Dispose();
            entries.Add(new EntryDigest(name, Convert.ToHexStringLower(_hash.GetHashAndReset()), _length));
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
