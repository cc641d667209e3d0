using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Broker.Hosting.Http;

/// <summary>
/// A request or response body read into a pooled buffer, bounded. Nothing is forwarded before it is verified, so a
/// hop holds the whole message; the bound keeps that safe.
/// </summary>
public sealed class PooledBody : IDisposable
{
    private byte[]? _buffer;

    private PooledBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>Reads the stream to its end; null when it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<PooledBody?> ReadAsync(Stream stream, long? declaredLength, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (declaredLength > maxBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(declaredLength ?? 4096, 256, maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (length > maxBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }

        return new PooledBody(buffer, length);
    }

    public static Task<PooledBody?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ReadAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
