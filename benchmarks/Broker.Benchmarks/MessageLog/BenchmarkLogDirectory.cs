using Broker.Central.Timestamping;
using Broker.MessageLog.Records;
using Broker.MessageLog.Timestamping;
using Broker.MessageLog.Writing;

namespace Broker.Benchmarks.MessageLog;

/// <summary>
/// A message log on the real disk for one benchmark case: a fresh directory under the temp folder (ext4 on the
/// machine's block device on the development box, not tmpfs; see docs/benchmarks.md), a body key when bodies are
/// encrypted, and the writer over it. Deleted again at cleanup.
/// </summary>
internal sealed class BenchmarkLogDirectory : IAsyncDisposable
{
    private readonly string _root;

    public BenchmarkLogDirectory(BodyStorage storage, long maxSegmentBytes = 256L * 1024 * 1024)
    {
        _root = Path.Combine(Path.GetTempPath(), "broker-bench-mlog-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        LogPath = Path.Combine(_root, "log");
        Writer = MessageLogWriter.Open(new MessageLogWriterOptions
        {
            Directory = LogPath,
            MaxSegmentBytes = maxSegmentBytes,
            BodyKeyFile = storage == BodyStorage.Encrypted ? SampleLogEntries.WriteBodyKey(_root) : null,
        });
    }

    /// <summary>Where a benchmark may put other files (archives); deleted with the log.</summary>
    public string Root => _root;

    /// <summary>The directory of the log's segments.</summary>
    public string LogPath { get; }

    public MessageLogWriter Writer { get; }

    /// <summary>The log mode whose records store a body as <paramref name="storage"/> says (the key decides plain or encrypted).</summary>
    public static LogMode ModeFor(BodyStorage storage) => storage == BodyStorage.Omitted ? LogMode.Metadata : LogMode.Full;

    /// <summary>Appends the entries (256 in flight), then time-stamps them with <paramref name="tsa"/> in one batch flush.</summary>
    public async Task AppendStampedAsync(IEnumerable<MessageEntry> entries, TimestampAuthority tsa)
    {
        await using var stamper = new BatchTimestamper(Writer, new InProcessTimestampSource(tsa), new BatchTimestamperOptions());
        foreach (var wave in entries.Chunk(256))
        {
            await Task.WhenAll(wave.Select(e => Writer.AppendAsync(e)));
        }

        if (!await stamper.FlushAsync(CancellationToken.None))
        {
            throw new InvalidOperationException("Setup: the log could not be time-stamped.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }
}
