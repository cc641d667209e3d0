namespace Broker.MessageLog.Reading;

/// <summary>Where a <see cref="RecordScanner"/> stopped.</summary>
public enum ScanEnd
{
    /// <summary>Not stopped: there may be more records.</summary>
    None,

    /// <summary>The clean end: the last frame was complete.</summary>
    End,

    /// <summary>The file ends in an incomplete frame (a write cut short by a crash, or one in progress in the newest segment).</summary>
    TornTail,

    /// <summary>A complete frame whose record does not decode; the scan may go on with the next frame.</summary>
    Undecodable,

    /// <summary>The file does not start with the segment header: it is no log segment.</summary>
    BadHeader,

    /// <summary>The file cannot be read (I/O error, damaged ZIP data, an archive without <c>records.mlog</c>).</summary>
    Unreadable,
}
