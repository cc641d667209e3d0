using System.Text;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Writing;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Tests;

public sealed class MessageLogWriterTests
{
    internal static MessageEntry Entry(int i, LogMode mode = LogMode.Full, int bodyBytes = 200) => new(
        i % 2 == 0 ? EnvelopeKind.Request : EnvelopeKind.Response,
        "MN-" + i,
        "MN/GOV/A/portal",
        "MN/GOV/B/registry/addresses",
        Encoding.UTF8.GetBytes("GET /r1/MN/GOV/B/registry/addresses/" + i),
        Encoding.UTF8.GetBytes(new string('b', bodyBytes) + i),
        Encoding.UTF8.GetBytes("<Signature>" + i + "</Signature>"),
        mode);

    internal static List<LogRecord> ReadAll(string directory) =>
        LogSegment.List(directory).SelectMany(path => SegmentReader.ReadAll(path)).Select(r => r.Record!).ToList();

    [Fact]
    public async Task ConcurrentAppends_AreAllDurable_InOneUnbrokenChain()
    {
        using var dir = new TempDirectory();
        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path }))
        {
            var positions = await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => Task.Run(() => writer.AppendAsync(Entry(i)))));
            Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), positions.Select(p => p.Seq).Order());
        }

        var records = ReadAll(dir.Path);
        Assert.Equal(2000, records.Count);
        var previous = new byte[32];
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Seq);
            Assert.Equal(previous, records[i].PreviousHash);
            previous = records[i].Hash;
        }

        Assert.Equal(2000, records.Select(r => r.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task DurableRecords_DoNotStayInThePageCache()
    {
        using var dir = new TempDirectory();
        await using var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path });
        for (var i = 0; i < 64; i++)
        {
            await Task.WhenAll(Enumerable.Range(i * 16, 16).Select(j => writer.AppendAsync(Entry(j, bodyBytes: 4096))));
        }

        var length = new FileInfo(writer.CurrentSegment).Length;
        Assert.True(length > 4 << 20, $"the segment holds {length} bytes");
        // what is left: at most the last 64 KiB not dropped yet, and the page still being written
        var resident = Fixtures.PageCache.ResidentBytes(writer.CurrentSegment);
        Assert.True(resident <= (64 << 10) + 4096, $"{resident} of the segment's {length} bytes are still in the page cache");
        Assert.Equal(1024, ReadAll(dir.Path).Count);
    }

    [Fact]
    public async Task Reopen_AfterTornTail_CutsItOff_AndContinuesTheChain()
    {
        using var dir = new TempDirectory();
        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path }))
        {
            for (var i = 0; i < 10; i++)
            {
                await writer.AppendAsync(Entry(i));
            }
        }

        // a crash in the middle of a write: a frame header that promises more than the file holds
        var segment = LogSegment.List(dir.Path).Single();
        var intact = new FileInfo(segment).Length;
        await using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write([0, 0, 4, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 11]);
        }

        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path }))
        {
            Assert.Equal(intact, new FileInfo(segment).Length);
            Assert.Equal(10, writer.LastSeq);
            Assert.Equal(10, writer.Recovered.Count); // none of them time-stamped yet
            var next = await writer.AppendAsync(Entry(10));
            Assert.Equal(11, next.Seq);
        }

        var records = ReadAll(dir.Path);
        Assert.Equal(11, records.Count);
        Assert.Equal(records[9].Hash, records[10].PreviousHash);
    }

    [Fact]
    public async Task Rotation_ClosesSegments_AndTheChainRunsAcrossThem()
    {
        using var dir = new TempDirectory();
        var closed = new List<string>();
        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path, MaxSegmentBytes = 64 * 1024 }))
        {
            writer.SegmentClosed = closed.Add;
            for (var i = 0; i < 100; i++)
            {
                await writer.AppendAsync(Entry(i, bodyBytes: 4000));
            }
        }

        var segments = LogSegment.List(dir.Path);
        Assert.True(segments.Count >= 6, $"{segments.Count} segments");
        Assert.Equal(segments.Take(segments.Count - 1), closed);
        Assert.All(segments.Take(segments.Count - 1), s => Assert.True(new FileInfo(s).Length <= 64 * 1024 + 4100));
        var records = ReadAll(dir.Path);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), records.Select(r => r.Seq));
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].Hash, records[i].PreviousHash);
        }

        foreach (var segment in segments)
        {
            Assert.Equal(SegmentReader.ReadAll(segment).First().Record!.Seq, LogSegment.FirstSeq(segment));
        }
    }

    [Fact]
    public async Task FailedWrite_FailsTheAppend_AndLeavesNoPartialRecord()
    {
        using var dir = new TempDirectory();
        await using var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path, MaxSegmentBytes = 64 * 1024 });
        await writer.AppendAsync(Entry(0, bodyBytes: 70 * 1024)); // fills the first segment: the next append must start a new one
        var segment = writer.CurrentSegment;
        var length = new FileInfo(segment).Length;

        // the directory disappears under the writer (a full or broken volume is the real case); even root cannot create files in it now
        var moved = dir.Path + ".moved";
        Directory.Move(dir.Path, moved);
        File.WriteAllText(dir.Path, "not a directory");
        try
        {
            var failure = await Assert.ThrowsAsync<MessageLogException>(() => writer.AppendAsync(Entry(1)));
            Assert.Contains("could not write", failure.Message, StringComparison.Ordinal);
            Assert.Equal(1, writer.LastSeq);
        }
        finally
        {
            File.Delete(dir.Path);
            Directory.Move(moved, dir.Path);
        }

        Assert.Equal(length, new FileInfo(segment).Length);
        var next = await writer.AppendAsync(Entry(2));
        Assert.Equal(2, next.Seq);
    }

    [Fact]
    public async Task Modes_Metadata_LeavesTheBodyOut_Encryption_HidesIt_AndBindsItToItsRecord()
    {
        using var dir = new TempDirectory();
        var keyFile = Path.Combine(dir.Path, "body.key");
        File.WriteAllText(keyFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        var log = Path.Combine(dir.Path, "log");
        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = log, BodyKeyFile = keyFile }))
        {
            await writer.AppendAsync(Entry(0, LogMode.Metadata));
            await writer.AppendAsync(Entry(1, LogMode.Full));
        }

        var records = ReadAll(log);
        Assert.Equal(BodyStorage.Omitted, records[0].BodyStorage);
        Assert.True(records[0].Body.IsEmpty);
        Assert.Equal(BodyStorage.Encrypted, records[1].BodyStorage);
        var plain = Entry(1).Body.ToArray();
        Assert.DoesNotContain("bbbbbbbb", Encoding.ASCII.GetString(File.ReadAllBytes(LogSegment.List(log)[0])), StringComparison.Ordinal);
        using var cipher = BodyCipher.FromFile(keyFile);
        Assert.True(cipher.TryDecrypt(records[1].Seq, records[1].Body.Span, out var decrypted));
        Assert.Equal(plain, decrypted);
        Assert.False(cipher.TryDecrypt(records[1].Seq + 1, records[1].Body.Span, out _)); // moved to another record: rejected
    }

    [Fact]
    public async Task SecondWriter_OnTheSameDirectory_IsRefused()
    {
        using var dir = new TempDirectory();
        await using var first = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path });
        var refused = Assert.Throws<MessageLogException>(() => MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path }));
        Assert.Contains("in use by another process", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reopen_AfterZeroFilledTail_CutsItOff_AndKeepsTheBytes()
    {
        using var dir = new TempDirectory();
        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path }))
        {
            await writer.AppendAsync(Entry(0));
            await writer.AppendAsync(Entry(1));
        }

        var segment = LogSegment.List(dir.Path).Single();
        var intact = new FileInfo(segment).Length;
        await using (var file = new FileStream(segment, FileMode.Append))
        {
            file.Write(new byte[4096]); // what some file systems leave after a power loss
        }

        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path }))
        {
            Assert.Equal(2, writer.LastSeq);
            Assert.Equal(3, (await writer.AppendAsync(Entry(2))).Seq);
        }

        Assert.Equal(4096, new FileInfo($"{segment}.torn-{intact}").Length);
        Assert.Equal(3, ReadAll(dir.Path).Count);
    }

    [Fact]
    public async Task UnencodableEntry_FailsOnlyItself_AndTheLogGoesOn()
    {
        using var dir = new TempDirectory();
        await using var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path });
        var hostile = Entry(0) with { MessageId = new string('x', 70_000) };
        await Assert.ThrowsAsync<MessageLogException>(() => writer.AppendAsync(hostile));
        Assert.Equal(1, (await writer.AppendAsync(Entry(1))).Seq);
        Assert.Null(writer.Failure);
    }
}
