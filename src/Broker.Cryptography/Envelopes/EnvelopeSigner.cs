using System.Security.Cryptography;
using System.Threading.Channels;
using Broker.Cryptography.Xml;
using Broker.Protocol.Envelopes;

namespace Broker.Cryptography.Envelopes;

/// <summary>
/// Signs a message head and body into an envelope: one SHA-512 per part, then a signature document.
/// <see cref="SignAsync"/> batches: the messages that wait while a signature is being made are signed together, with one
/// signature over a hash tree of their manifests (X-Road's batch signatures). A lone message is a batch of one, so a
/// quiet server adds no delay; a busy one pays one public-key operation per batch instead of one per message.
/// </summary>
public sealed class EnvelopeSigner : IDisposable
{
    public const string HeadPart = "head";
    public const string BodyPart = "body";

    /// <summary>The most messages one signature covers (a path of at most 7 hashes).</summary>
    public const int MaxBatch = 128;

    private readonly SignatureDocumentWriter _writer;
    private readonly TimeProvider _time;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _started;
    private long _signatures;
    private long _messages;

    public EnvelopeSigner(SignatureDocumentWriter writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    /// <summary>Signature operations made so far, and the messages they covered (for health output).</summary>
    public (long Signatures, long Messages) Counts => (Interlocked.Read(ref _signatures), Interlocked.Read(ref _messages));

    /// <summary>Signs one message now, alone.</summary>
    public SignedEnvelope Sign(EnvelopeKind kind, byte[] head, ReadOnlyMemory<byte> body)
    {
        var (parts, headDigest, bodyDigest) = Digest(head, body);
        var signature = _writer.Write(_time.GetUtcNow(), parts);
        Count(1);
        return Frame(kind, head, body, signature, headDigest, bodyDigest);
    }

    /// <summary>Signs one message together with whatever else is waiting to be signed.</summary>
    public async ValueTask<SignedEnvelope> SignAsync(EnvelopeKind kind, byte[] head, ReadOnlyMemory<byte> body)
    {
        var (parts, headDigest, bodyDigest) = Digest(head, body);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(RunAsync);
        }

        var pending = new Pending(parts);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(EnvelopeSigner));
        }

        var signature = await pending.Completion.Task.ConfigureAwait(false);
        return Frame(kind, head, body, signature, headDigest, bodyDigest);
    }

    public void Dispose() => _pending.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = _pending.Reader;
        var batch = new List<Pending>(MaxBatch);
        var parts = new List<IReadOnlyList<SignedPart>>(MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
                parts.Add(item.Parts);
            }

            try
            {
                var documents = _writer.Write(_time.GetUtcNow(), parts);
                Count(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(documents[i]);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // every waiting message gets the failure; the loop goes on for the next batch
                batch.ForEach(p => p.Completion.TrySetException(e));
            }

            batch.Clear();
            parts.Clear();
        }
    }

    private void Count(int messages)
    {
        Interlocked.Increment(ref _signatures);
        Interlocked.Add(ref _messages, messages);
    }

    private static (SignedPart[] Parts, byte[] HeadDigest, byte[] BodyDigest) Digest(byte[] head, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(head);
        var headDigest = SHA512.HashData(head);
        var bodyDigest = body.IsEmpty ? [] : SHA512.HashData(body.Span);
        SignedPart[] parts = body.IsEmpty
            ? [new SignedPart(HeadPart, headDigest)]
            : [new SignedPart(HeadPart, headDigest), new SignedPart(BodyPart, bodyDigest)];
        return (parts, headDigest, bodyDigest);
    }

    private static SignedEnvelope Frame(EnvelopeKind kind, byte[] head, ReadOnlyMemory<byte> body, byte[] signature, byte[] headDigest, byte[] bodyDigest)
    {
        var bytes = new byte[Envelope.GetLength(head.Length, body.Length, signature.Length)];
        Envelope.Write(bytes, kind, head, body.Span, signature);
        return new SignedEnvelope(bytes, headDigest, bodyDigest);
    }

    private sealed record Pending(IReadOnlyList<SignedPart> Parts)
    {
        public TaskCompletionSource<byte[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
