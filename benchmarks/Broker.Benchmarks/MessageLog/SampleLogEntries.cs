using System.Globalization;
using Broker.Cryptography.Envelopes;
using Broker.Cryptography.Xml;
using Broker.MessageLog.Records;
using Broker.Protocol.Envelopes;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// What a security server hands its message log: signed POST requests (a head of about 300 bytes with its own message
/// id, a 1 KiB body) with the signature document <see cref="EnvelopeSigner"/> made for them, batch-signed in waves of
/// 16 as on a busy server, so each document carries its manifest, its path and the signer's chain (about 3 KB).
/// </summary>
internal static class SampleLogEntries
{
    public const string Client = "MN/GOV/LAND/land-services";
    public const string Service = "MN/GOV/GASR/civil-registry/citizens";
    private const int Wave = 16;

    public static string MessageId(int i) => "MN-" + i.ToString("D8", CultureInfo.InvariantCulture) + "-91d2-4f3a-b6e1-7a2c9d0f4e58";

    /// <summary>Signs <paramref name="count"/> requests and returns them as log entries of <paramref name="mode"/>.</summary>
    public static MessageEntry[] Sign(BenchmarkPki pki, int count, LogMode mode)
    {
        using var signer = new EnvelopeSigner(new SignatureDocumentWriter(pki.Key), TimeProvider.System);
        var body = SampleMessages.Body(SampleMessages.KiB);
        var entries = new MessageEntry[count];
        for (var start = 0; start < count; start += Wave)
        {
            var wave = Enumerable.Range(start, Math.Min(Wave, count - start))
                .Select(i => signer.SignAsync(EnvelopeKind.Request, SampleMessages.Post(MessageId(i)).Serialize(), body).AsTask())
                .ToArray();
            Task.WaitAll(wave);
            for (var j = 0; j < wave.Length; j++)
            {
                if (!Envelope.TryParse(wave[j].Result.Bytes, out var envelope))
                {
                    throw new InvalidOperationException("A signed envelope does not parse.");
                }

                var e = envelope.Value;
                entries[start + j] = new MessageEntry(e.Kind, MessageId(start + j), Client, Service, e.Head, e.Body, e.Signature, mode);
            }
        }

        return entries;
    }

    /// <summary>Writes a temporary 32-byte body key file (what <c>BodyKeyFile</c> points at) and returns its path.</summary>
    public static string WriteBodyKey(string directory)
    {
        var path = Path.Combine(directory, "body.key");
        File.WriteAllBytes(path, System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return path;
    }
}
