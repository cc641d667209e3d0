using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Broker.Protocol.Envelopes;

namespace Broker.MessageLog.Records;

/// <summary>
/// The binary record format (big-endian; docs/message-log.md#record-format):
/// <code>
/// common:    version:u8=1 type:u8 seq:i64 loggedAt:i64(unix ms) previousHash:32
/// message:   kind:u8 bodyStorage:u8 messageId:str16 client:str16 service:str16 head:blob32 signature:blob32 body:blob32
/// timestamp: firstSeq:i64 lastSeq:i64 leafCount:i32 root:32 token:blob32
/// </code>
/// str16 is a u16 length and UTF-8; blob32 a u32 length and bytes. A record's hash is SHA-256 over these bytes.
/// </summary>
public static class LogRecordCodec
{
    public const byte Version = 1;
    public const int HashSize = 32;
    public const int CommonLength = 1 + 1 + 8 + 8 + HashSize;

    /// <summary>Where the sequence number ends in every record (version, type, sequence number).</summary>
    public const int SeqEnd = 1 + 1 + 8;

    /// <summary>The largest record accepted when reading (a body limit of 10 MiB plus generous room).</summary>
    public const int MaxRecordLength = 256 * 1024 * 1024;

    /// <summary>Why an entry cannot be encoded (an identifier too long for its field), or null.</summary>
    public static string? Validate(in MessageEntry entry) =>
        Check(entry.MessageId, "message id") ?? Check(entry.Client, "client") ?? Check(entry.Service, "service");

    // called for every append: no array, no tuple; UTF-8 is at most 3 bytes per UTF-16 unit, so short strings need no count
    private static string? Check(string? value, string name) =>
        value is null || (value.Length > ushort.MaxValue / 3 && Encoding.UTF8.GetByteCount(value) > ushort.MaxValue)
            ? $"the {name} is missing or longer than {ushort.MaxValue} bytes"
            : null;

    public static int GetMessageLength(in MessageEntry entry, int storedBodyLength) =>
        CommonLength + 2 + Str16(entry.MessageId) + Str16(entry.Client) + Str16(entry.Service)
        + 4 + entry.Head.Length + 4 + entry.Signature.Length + 4 + storedBodyLength;

    public static int GetTimestampLength(int tokenLength) => CommonLength + 8 + 8 + 4 + HashSize + 4 + tokenLength;

    /// <summary>Writes a message record; <paramref name="storedBody"/> is written by the caller into the returned slot.</summary>
    public static int WriteMessage(
        Span<byte> destination, long seq, DateTimeOffset loggedAt, ReadOnlySpan<byte> previousHash,
        in MessageEntry entry, BodyStorage storage, int storedBodyLength, out int bodyOffset)
    {
        var offset = WriteCommon(destination, RecordType.Message, seq, loggedAt, previousHash);
        destination[offset++] = (byte)entry.Kind;
        destination[offset++] = (byte)storage;
        offset += WriteStr16(destination[offset..], entry.MessageId);
        offset += WriteStr16(destination[offset..], entry.Client);
        offset += WriteStr16(destination[offset..], entry.Service);
        offset += WriteBlob(destination[offset..], entry.Head.Span);
        offset += WriteBlob(destination[offset..], entry.Signature.Span);
        BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], (uint)storedBodyLength);
        bodyOffset = offset + 4;
        return bodyOffset + storedBodyLength;
    }

    public static int WriteTimestamp(Span<byte> destination, long seq, DateTimeOffset loggedAt, ReadOnlySpan<byte> previousHash, in TimestampEntry entry)
    {
        var offset = WriteCommon(destination, RecordType.Timestamp, seq, loggedAt, previousHash);
        BinaryPrimitives.WriteInt64BigEndian(destination[offset..], entry.FirstSeq);
        BinaryPrimitives.WriteInt64BigEndian(destination[(offset + 8)..], entry.LastSeq);
        BinaryPrimitives.WriteInt32BigEndian(destination[(offset + 16)..], entry.LeafCount);
        offset += 20;
        entry.Root.CopyTo(destination[offset..]);
        offset += HashSize;
        return offset + WriteBlob(destination[offset..], entry.Token);
    }

    /// <summary>The type byte of an encoded record (not checked: <see cref="TryDecode"/> does that).</summary>
    public static RecordType PeekType(ReadOnlySpan<byte> encoded) => encoded.Length > 1 ? (RecordType)encoded[1] : default;

    /// <summary>The sequence number of an encoded record, from its first <see cref="SeqEnd"/> bytes.</summary>
    public static long PeekSeq(ReadOnlySpan<byte> encoded) => BinaryPrimitives.ReadInt64BigEndian(encoded[2..SeqEnd]);

    /// <summary>Decodes one record; the result's byte fields are slices of <paramref name="encoded"/>.</summary>
    /// <param name="chainOnly">
    /// A message record comes back with its chain fields only (no identifiers, no byte slices), for readers that reuse
    /// their buffer; its fields are still checked.
    /// </param>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, [NotNullWhen(true)] out LogRecord? record, [NotNullWhen(false)] out string? error, bool chainOnly = false)
    {
        record = null;
        var span = encoded.Span;
        if (span.Length < CommonLength)
        {
            error = "the record is shorter than its fixed fields";
            return false;
        }

        if (span[0] != Version)
        {
            error = $"unknown record version {span[0]}";
            return false;
        }

        var type = (RecordType)span[1];
        var seq = BinaryPrimitives.ReadInt64BigEndian(span[2..]);
        var loggedAt = DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(BinaryPrimitives.ReadInt64BigEndian(span[10..]), 0, 253402300799999));
        var previous = span.Slice(18, HashSize).ToArray();
        var hash = SHA256.HashData(span);
        var reader = new FieldReader(encoded, CommonLength);
        try
        {
            record = type switch
            {
                RecordType.Message => new LogRecord
                {
                    Type = type, Seq = seq, LoggedAt = loggedAt, PreviousHash = previous, Hash = hash, Encoded = chainOnly ? default : encoded,
                    Kind = (EnvelopeKind)reader.Byte(),
                    BodyStorage = (BodyStorage)reader.Byte(),
                    MessageId = reader.Str16(chainOnly),
                    Client = reader.Str16(chainOnly),
                    Service = reader.Str16(chainOnly),
                    Head = reader.Blob(chainOnly),
                    Signature = reader.Blob(chainOnly),
                    Body = reader.Blob(chainOnly),
                },
                RecordType.Timestamp => new LogRecord
                {
                    Type = type, Seq = seq, LoggedAt = loggedAt, PreviousHash = previous, Hash = hash, Encoded = encoded,
                    FirstSeq = reader.Int64(),
                    LastSeq = reader.Int64(),
                    LeafCount = reader.Int32(),
                    Root = reader.Bytes(HashSize).ToArray(),
                    Token = reader.Blob(),
                },
                _ => throw new FormatException($"unknown record type {(byte)type}"),
            };
            if (!reader.AtEnd)
            {
                throw new FormatException("bytes trail the record's fields");
            }

            if (record.Type == RecordType.Message && (!Enum.IsDefined(record.Kind) || !Enum.IsDefined(record.BodyStorage)))
            {
                throw new FormatException("unknown message kind or body storage");
            }
        }
        catch (FormatException e)
        {
            record = null;
            error = e.Message;
            return false;
        }

        error = null;
        return true;
    }

    private static int WriteCommon(Span<byte> destination, RecordType type, long seq, DateTimeOffset loggedAt, ReadOnlySpan<byte> previousHash)
    {
        destination[0] = Version;
        destination[1] = (byte)type;
        BinaryPrimitives.WriteInt64BigEndian(destination[2..], seq);
        BinaryPrimitives.WriteInt64BigEndian(destination[10..], loggedAt.ToUnixTimeMilliseconds());
        previousHash[..HashSize].CopyTo(destination[18..]);
        return CommonLength;
    }

    private static int Str16(string value) => 2 + Encoding.UTF8.GetByteCount(value);

    private static int WriteStr16(Span<byte> destination, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, destination[2..]);
        if (length > ushort.MaxValue)
        {
            throw new ArgumentException("An identifier is too long for a log record.", nameof(value));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)length);
        return 2 + length;
    }

    private static int WriteBlob(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value.Length);
        value.CopyTo(destination[4..]);
        return 4 + value.Length;
    }

    private ref struct FieldReader(ReadOnlyMemory<byte> data, int offset)
    {
        private int _offset = offset;

        public readonly bool AtEnd => _offset == data.Length;

        public byte Byte() => Bytes(1).Span[0];

        public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Bytes(8).Span);

        public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Bytes(4).Span);

        public string Str16(bool skip = false)
        {
            var bytes = Bytes(BinaryPrimitives.ReadUInt16BigEndian(Bytes(2).Span)).Span;
            return skip ? "" : Encoding.UTF8.GetString(bytes);
        }

        public ReadOnlyMemory<byte> Blob(bool skip = false)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(Bytes(4).Span);
            var bytes = Bytes(length > int.MaxValue ? -1 : (int)length);
            return skip ? default : bytes;
        }

        public ReadOnlyMemory<byte> Bytes(int count)
        {
            if (count < 0 || count > data.Length - _offset)
            {
                throw new FormatException("a field runs past the end of the record");
            }

            var slice = data.Slice(_offset, count);
            _offset += count;
            return slice;
        }
    }
}
