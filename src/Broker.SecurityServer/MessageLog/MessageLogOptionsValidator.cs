using Broker.MessageLog.Records;
using Broker.Protocol.Identifiers;
using Microsoft.Extensions.Options;

namespace Broker.SecurityServer.MessageLog;

/// <summary>Cross-field rules of <see cref="MessageLogOptions"/>, all reported at once at start.</summary>
internal sealed class MessageLogOptionsValidator : IValidateOptions<SecurityServerOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityServerOptions options)
    {
        var log = options.MessageLog;
        var errors = new List<string>();
        var stamping = log.Timestamping;
        if (stamping.Interval <= TimeSpan.Zero)
        {
            errors.Add("MessageLog.Timestamping.Interval must be positive.");
        }

        if (stamping.MaxBatch is < 1 or > 1 << 20)
        {
            errors.Add("MessageLog.Timestamping.MaxBatch must be between 1 and 1048576.");
        }

        if (stamping.GracePeriod <= stamping.Interval)
        {
            errors.Add("MessageLog.Timestamping.GracePeriod must be longer than the interval.");
        }

        if (stamping.WarningAfter <= TimeSpan.Zero || stamping.WarningAfter >= stamping.GracePeriod)
        {
            errors.Add("MessageLog.Timestamping.WarningAfter must be positive and shorter than the grace period, so that the warning comes first.");
        }

        if (log.MaxSegmentBytes < 64 * 1024)
        {
            errors.Add("MessageLog.MaxSegmentBytes must be at least 64 KiB.");
        }

        if (log.MaxSegmentAge <= TimeSpan.Zero || log.ArchiveInterval <= TimeSpan.Zero || log.KeepArchivedSegments < TimeSpan.Zero)
        {
            errors.Add("MessageLog.MaxSegmentAge and ArchiveInterval must be positive, KeepArchivedSegments not negative.");
        }

        if (log.ArchiveWindow is { } window && !DailyWindow.TryParse(window, out _))
        {
            errors.Add($"MessageLog.ArchiveWindow '{window}' must be HH:mm-HH:mm (local time, e.g. 22:00-06:00), start and end different.");
        }

        if (log.ArchiveBacklogLimit < 0)
        {
            errors.Add("MessageLog.ArchiveBacklogLimit must not be negative.");
        }

        if (log.BodyKeyFile is { } key && !File.Exists(key))
        {
            errors.Add($"MessageLog.BodyKeyFile {key} does not exist.");
        }

        foreach (var (subsystem, mode) in log.Modes)
        {
            if (!ClientId.TryParse(subsystem, out var id) || !id.IsSubsystem || !options.Clients.Contains(subsystem))
            {
                errors.Add($"MessageLog.Modes names {subsystem}, which is not a subsystem this server hosts.");
            }

            if (!Enum.IsDefined(mode))
            {
                errors.Add($"MessageLog.Modes[{subsystem}] must be Full, Metadata or Off.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
