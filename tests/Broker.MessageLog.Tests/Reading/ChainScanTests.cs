using Broker.MessageLog.Reading;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Tests.Fixtures;

namespace Broker.MessageLog.Tests.Reading;

/// <summary>The chain-only scan the archiver and proof building use: same chain as a full read, without the bytes.</summary>
public sealed class ChainScanTests
{
    [Fact]
    public async Task ChainScan_GivesTheSameChainAsAFullRead_MessagesWithoutTheirBytes_StampsWhole()
    {
        using var dir = new TempDirectory();
        await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 12, MaxSegmentBytes = 10_000_000 });
        var segment = LogSegment.List(dir.Path)[0];

        var full = RecordScanner.ReadAll(segment).ToList();
        var chain = RecordScanner.ReadAll(segment, options: ScanOptions.Chain()).ToList();

        Assert.Equal(full.Select(r => (r.Seq, r.Type, Convert.ToHexString(r.Hash), Convert.ToHexString(r.PreviousHash))), chain.Select(r => (r.Seq, r.Type, Convert.ToHexString(r.Hash), Convert.ToHexString(r.PreviousHash))));
        Assert.All(chain.Where(r => r.Type == RecordType.Message), r => Assert.True(r.Encoded.IsEmpty));
        var stamps = chain.Where(r => r.Type == RecordType.Timestamp).ToList();
        Assert.NotEmpty(stamps);
        Assert.All(stamps, s => Assert.Equal(full.Single(f => f.Seq == s.Seq).Encoded.ToArray(), s.Encoded.ToArray())); // not a reused buffer
    }

    [Fact]
    public async Task ChainScan_FromASequenceNumber_StepsOverTheRecordsBeforeIt()
    {
        using var dir = new TempDirectory();
        await TestLogs.BuildAsync(dir.Path, new LogSpec { Exchanges = 12, MaxSegmentBytes = 10_000_000 });
        var segment = LogSegment.List(dir.Path)[0];
        var full = RecordScanner.ReadAll(segment).ToList();
        var from = full[full.Count / 2].Seq;

        var tail = RecordScanner.ReadAll(segment, options: ScanOptions.Chain(from)).ToList();

        Assert.Equal(full.Where(r => r.Seq >= from).Select(r => Convert.ToHexString(r.Hash)), tail.Select(r => Convert.ToHexString(r.Hash)));
    }
}
