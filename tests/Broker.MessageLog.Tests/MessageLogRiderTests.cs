using Broker.MessageLog.Writing;
using static Broker.MessageLog.Tests.MessageLogWriterTests;

namespace Broker.MessageLog.Tests;

/// <summary>
/// Records appended with <see cref="MessageLogWriter.AppendWithNext"/> (an exchange's request) ride with the next
/// durable append (its response): written ahead of it, durable when it is, and never left unwritten.
/// </summary>
public sealed class MessageLogRiderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static MessageLogWriter Open(TempDirectory dir, TimeSpan riderDelay) =>
        MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path, RiderDelay = riderDelay });

    [Fact]
    public async Task Rider_WaitsForTheNextDurableAppend_AndIsWrittenAheadOfIt()
    {
        using var dir = new TempDirectory();
        await using (var writer = Open(dir, TimeSpan.FromHours(1)))
        {
            var request = writer.AppendWithNext(Entry(0));
            await Task.Delay(200, TestContext.Current.CancellationToken); // time enough for a loop that wrongly writes riders at once
            Assert.False(request.IsCompleted);
            Assert.Equal(0, writer.LastSeq);

            var response = await writer.AppendAsync(Entry(1)).WaitAsync(Patience, TestContext.Current.CancellationToken);
            Assert.True(request.IsCompleted);
            var requestPosition = await request.WhenDurableAsync();
            Assert.Equal(response.Seq - 1, requestPosition.Seq);
        }

        Assert.Equal(["MN-0", "MN-1"], ReadAll(dir.Path).Select(r => r.MessageId));
    }

    [Fact]
    public async Task Rider_WithNothingToRideWith_IsWrittenAfterTheRiderDelay_AlsoAfterAQuietSpell()
    {
        using var dir = new TempDirectory();
        await using var writer = Open(dir, TimeSpan.FromMilliseconds(100));

        // rider 0 finds the loop asleep without a deadline (it wakes it); rider 1 comes while the loop looks for riders
        // every RiderDelay; rider 2 comes after a quiet second, when the loop has stopped looking again
        for (var i = 0; i < 3; i++)
        {
            if (i == 2)
            {
                await Task.Delay(1500, TestContext.Current.CancellationToken);
            }

            var request = writer.AppendWithNext(Entry(i));
            var deadline = DateTime.UtcNow + Patience;
            while (!request.IsCompleted && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20, TestContext.Current.CancellationToken); // nobody asks for it: the loop writes it on its own
            }

            Assert.True(request.IsCompleted, $"rider {i} was never written");
            Assert.Equal(i + 1, (await request.WhenDurableAsync()).Seq);
        }

        Assert.Equal(["MN-0", "MN-1", "MN-2"], ReadAll(dir.Path).Select(r => r.MessageId));
    }

    [Fact]
    public async Task WhenDurable_WritesTheRiderAtOnce()
    {
        using var dir = new TempDirectory();
        await using var writer = Open(dir, TimeSpan.FromHours(1));
        var request = writer.AppendWithNext(Entry(0));
        var position = await request.WhenDurableAsync().WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal(1, position.Seq);
        Assert.Equal(["MN-0"], ReadAll(dir.Path).Select(r => r.MessageId));
    }

    [Fact]
    public async Task Closing_WritesTheRidersLeft_AndLaterRidersFail()
    {
        using var dir = new TempDirectory();
        var writer = Open(dir, TimeSpan.FromHours(1));
        var left = writer.AppendWithNext(Entry(0));
        await writer.DisposeAsync();

        Assert.Equal(1, (await left.WhenDurableAsync().WaitAsync(Patience, TestContext.Current.CancellationToken)).Seq);
        var late = writer.AppendWithNext(Entry(1));
        Assert.True(late.IsCompleted); // refused at once, not left waiting for a loop that is gone
        await Assert.ThrowsAsync<MessageLogException>(() => late.WhenDurableAsync().WaitAsync(Patience, TestContext.Current.CancellationToken));

        await using var reopened = Open(dir, TimeSpan.FromHours(1));
        Assert.Equal(1, reopened.LastSeq);
        Assert.Equal(["MN-0"], ReadAll(dir.Path).Select(r => r.MessageId));
    }

    [Fact]
    public async Task FailedWrite_FailsTheRidersWithTheRecordTheyRodeWith_AndTheNextExchangeIsLogged()
    {
        using var dir = new TempDirectory();
        await using var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path, MaxSegmentBytes = 64 * 1024, RiderDelay = TimeSpan.FromHours(1) });
        await writer.AppendAsync(Entry(0, bodyBytes: 70 * 1024)); // fills the first segment: the next commit must start a new one

        // the directory disappears under the writer, so that starting the next segment fails
        var moved = dir.Path + ".moved";
        Directory.Move(dir.Path, moved);
        File.WriteAllText(dir.Path, "not a directory");
        RecordTicket request;
        try
        {
            request = writer.AppendWithNext(Entry(1));
            await Assert.ThrowsAsync<MessageLogException>(() => writer.AppendAsync(Entry(2)));
            Assert.True(request.IsCompleted);
            await Assert.ThrowsAsync<MessageLogException>(() => request.WhenDurableAsync());
        }
        finally
        {
            File.Delete(dir.Path);
            Directory.Move(moved, dir.Path);
        }

        var next = writer.AppendWithNext(Entry(3));
        var response = await writer.AppendAsync(Entry(4)).WaitAsync(Patience, TestContext.Current.CancellationToken);
        Assert.Equal(response.Seq - 1, (await next.WhenDurableAsync()).Seq);
        Assert.Equal(["MN-0", "MN-3", "MN-4"], ReadAll(dir.Path).Select(r => r.MessageId));
    }

    [Fact]
    public async Task Riders_AreNotHeldBackByTheBatchLimit()
    {
        using var dir = new TempDirectory();
        await using var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = dir.Path, MaxBatchRecords = 1, RiderDelay = TimeSpan.FromHours(1) });
        var requests = Enumerable.Range(0, 10).Select(i => writer.AppendWithNext(Entry(i))).ToList();
        var response = await writer.AppendAsync(Entry(10)).WaitAsync(Patience, TestContext.Current.CancellationToken);

        Assert.All(requests, r => Assert.True(r.IsCompleted));
        Assert.Equal(11, response.Seq);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => "MN-" + i), ReadAll(dir.Path).Select(r => r.MessageId));
    }

    [Fact]
    public async Task UnderConcurrentExchanges_EveryDurableResponse_MeansItsRequestIsDurableAndComesFirst()
    {
        using var dir = new TempDirectory();
        await using (var writer = Open(dir, TimeSpan.FromHours(1)))
        {
            var exchanges = Enumerable.Range(0, 1000).Select(i => Task.Run(async () =>
            {
                var request = writer.AppendWithNext(Entry(2 * i));
                await Task.Yield();
                var response = await writer.AppendAsync(Entry(2 * i + 1));

                // what a handler relies on: with the response durable, the request is, without another commit
                Assert.True(request.IsCompleted, $"exchange {i}: the response is durable, its request is not");
                Assert.True((await request.WhenDurableAsync()).Seq < response.Seq);
            }));
            await Task.WhenAll(exchanges).WaitAsync(Patience, TestContext.Current.CancellationToken);
        }

        var records = ReadAll(dir.Path);
        Assert.Equal(2000, records.Count);
        var seqOf = records.ToDictionary(r => r.MessageId, r => r.Seq);
        Assert.All(Enumerable.Range(0, 1000), i => Assert.True(seqOf["MN-" + (2 * i)] < seqOf["MN-" + (2 * i + 1)]));
    }
}
