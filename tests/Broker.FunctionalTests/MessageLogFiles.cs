using System.Security.Cryptography.X509Certificates;
using Broker.Cryptography.Hashing;
using Broker.Cryptography.Timestamping;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.Protocol.Envelopes;
using Broker.SecurityServer.MessageLog;
using Broker.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Broker.FunctionalTests;

/// <summary>
/// Reads a security server's message log straight from its segment files (as an auditor would, with the format
/// library only) and checks what the log promises: an unbroken hash chain and time-stamps that cover and verify.
/// </summary>
internal static class MessageLogFiles
{
    /// <summary>The live log directory of an in-process security server of the network.</summary>
    public static string DirectoryOf(TestNetwork network, string serverId) =>
        LogOf(network, serverId).Options.Directory!;

    public static SecurityServerMessageLog LogOf(TestNetwork network, string serverId) =>
        network.Network.SecurityServers[serverId].App.Services.GetRequiredService<SecurityServerMessageLog>();

    /// <summary>Every record of every segment in chain order; a record that does not decode fails the test.</summary>
    public static List<LogRecord> ReadAll(string directory)
    {
        var records = new List<LogRecord>();
        foreach (var segment in LogSegment.List(directory))
        {
            foreach (var (offset, record, error) in SegmentReader.ReadAll(segment))
            {
                Assert.True(record is not null, $"the record at offset {offset} of {segment} does not decode: {error}");
                records.Add(record);
            }
        }

        return records;
    }

    public static IEnumerable<LogRecord> Messages(this IEnumerable<LogRecord> records, string messageId) =>
        records.Where(r => r.Type == RecordType.Message && r.MessageId == messageId);

    /// <summary>The one message record of <paramref name="kind"/> with X-Road-Id <paramref name="messageId"/>.</summary>
    public static LogRecord Record(this IEnumerable<LogRecord> records, string messageId, EnvelopeKind kind) =>
        Assert.Single(records.Messages(messageId), r => r.Kind == kind);

    /// <summary>Sequence numbers 1, 2, 3… and each record linking to the hash of the one before (zeros for the first).</summary>
    public static void AssertChainIntact(IReadOnlyList<LogRecord> records)
    {
        var previous = new byte[MerkleTree.HashSize];
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Seq);
            Assert.True(previous.AsSpan().SequenceEqual(records[i].PreviousHash), $"record {records[i].Seq} does not link to record {records[i].Seq - 1}");
            previous = records[i].Hash;
        }
    }

    /// <summary>
    /// Every message record lies in the range of a timestamp record whose root is the Merkle root over the message
    /// records of that range and whose token verifies over that root with the TSA's certificate.
    /// </summary>
    public static void AssertEveryMessageStamped(IReadOnlyList<LogRecord> records, X509Certificate2 tsa)
    {
        var bySeq = records.ToDictionary(r => r.Seq);
        var covered = new HashSet<long>();
        foreach (var stamp in records.Where(r => r.Type == RecordType.Timestamp))
        {
            var leaves = new List<byte[]>();
            for (var seq = stamp.FirstSeq; seq <= stamp.LastSeq; seq++)
            {
                Assert.True(bySeq.TryGetValue(seq, out var record), $"timestamp record {stamp.Seq} names record {seq}, which is not in the log");
                if (record.Type == RecordType.Message)
                {
                    leaves.Add(MerkleTree.LeafHash(record.Hash));
                    covered.Add(seq);
                }
            }

            Assert.True(stamp.LastSeq < stamp.Seq, $"timestamp record {stamp.Seq} covers records after itself");
            Assert.Equal(stamp.LeafCount, leaves.Count);
            var root = MerkleTree.ComputeRoot(leaves);
            Assert.Equal(root, stamp.Root);
            Assert.True(TimestampTokens.TryVerify(stamp.Token.Span, root, [tsa], out _, out var error), $"the token of timestamp record {stamp.Seq} does not verify: {error}");
        }

        var unstamped = records.Where(r => r.Type == RecordType.Message && !covered.Contains(r.Seq)).Select(r => r.Seq).ToList();
        Assert.True(unstamped.Count == 0, "message records no timestamp covers: " + string.Join(", ", unstamped));
    }
}
