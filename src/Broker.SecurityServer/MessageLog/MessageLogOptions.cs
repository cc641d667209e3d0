using Broker.MessageLog.Records;
using Broker.MessageLog.Timestamping;

namespace Broker.SecurityServer.MessageLog;

/// <summary>The security server's message log: where, what per subsystem, rotation, time-stamping, archives (docs/message-log.md).</summary>
public sealed class MessageLogOptions
{
    /// <summary>The live segments; default <c>{state}/messagelog</c>.</summary>
    public string? Directory { get; set; }

    /// <summary>The archives (ZIP containers); default <c>{state}/messagelog-archive</c>.</summary>
    public string? ArchiveDirectory { get; set; }

    /// <summary>The mode of subsystems not listed in <see cref="Modes"/>.</summary>
    public LogMode DefaultMode { get; set; } = LogMode.Full;

    /// <summary>Per hosted subsystem (<c>INSTANCE/CLASS/MEMBER/SUBSYSTEM</c>): <c>Full</c>, <c>Metadata</c> or <c>Off</c>.</summary>
    public Dictionary<string, LogMode> Modes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A 32-byte key (raw, hex or base64) to encrypt stored bodies at rest (AES-256-GCM); null stores them as signed.</summary>
    public string? BodyKeyFile { get; set; }

    public long MaxSegmentBytes { get; set; } = 256L * 1024 * 1024;

    public TimeSpan MaxSegmentAge { get; set; } = TimeSpan.FromHours(1);

    public BatchTimestamperOptions Timestamping { get; set; } = new();

    /// <summary>How often closed, fully time-stamped segments are archived (they are also archived as soon as they close).</summary>
    public TimeSpan ArchiveInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When archiving may run, in the server's local time (<c>HH:mm-HH:mm</c>, e.g. <c>22:00-06:00</c>); null: at any time.
    /// Outside it closed segments wait, unless more than <see cref="ArchiveBacklogLimit"/> does.
    /// </summary>
    public string? ArchiveWindow { get; set; }

    /// <summary>
    /// Closed segments waiting for their archive, in bytes, beyond which the archiver stops yielding to the exchanges.
    /// Below it, archiving runs in the idle scheduling class and takes only CPU the exchanges leave; above it, at normal
    /// priority until it has caught up (docs/message-log.md#when-archiving-runs).
    /// </summary>
    public long ArchiveBacklogLimit { get; set; } = 16L << 30;

    /// <summary>How long an archived segment stays in the live directory (where evidence requests find it).</summary>
    public TimeSpan KeepArchivedSegments { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Health turns <c>degraded</c> when the log's volume has less free space than this (a full disk stops every exchange).</summary>
    public long MinFreeBytes { get; set; } = 1L << 30;
}
