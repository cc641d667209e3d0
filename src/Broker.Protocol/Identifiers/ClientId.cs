using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Broker.Protocol.Identifiers;

/// <summary>
/// An X-Road client: a member (<c>INSTANCE/CLASS/MEMBER</c>) or one of its subsystems
/// (<c>INSTANCE/CLASS/MEMBER/SUBSYSTEM</c>). Parts are compared ordinally, as X-Road does.
/// </summary>
public sealed record ClientId
{
    public ClientId(string instance, string memberClass, string memberCode, string? subsystem = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ArgumentException.ThrowIfNullOrEmpty(memberClass);
        ArgumentException.ThrowIfNullOrEmpty(memberCode);
        Instance = instance;
        MemberClass = memberClass;
        MemberCode = memberCode;
        Subsystem = subsystem;
    }

    public string Instance { get; }

    public string MemberClass { get; }

    public string MemberCode { get; }

    /// <summary>The subsystem code, or null for a member-level identifier.</summary>
    public string? Subsystem { get; }

    public bool IsSubsystem => Subsystem is not null;

    /// <summary>The member this client belongs to (itself when it is a member).</summary>
    public ClientId Member => Subsystem is null ? this : new ClientId(Instance, MemberClass, MemberCode);

    public bool IsSameMember(ClientId other) =>
        string.Equals(Instance, other.Instance, StringComparison.Ordinal)
        && string.Equals(MemberClass, other.MemberClass, StringComparison.Ordinal)
        && string.Equals(MemberCode, other.MemberCode, StringComparison.Ordinal);

    /// <summary>Parses the encoded form used in <c>X-Road-Client</c>: 3 or 4 percent-encoded parts.</summary>
    public static bool TryParse(ReadOnlySpan<char> encoded, [NotNullWhen(true)] out ClientId? id)
    {
        var parts = IdentifierText.SplitAndDecode(encoded, 3, 4);
        id = parts is null ? null : new ClientId(parts[0], parts[1], parts[2], parts.Length == 4 ? parts[3] : null);
        return id is not null;
    }

    public static ClientId Parse(string encoded) =>
        TryParse(encoded, out var id) ? id : throw new FormatException($"'{encoded}' is not a valid X-Road client identifier.");

    /// <summary>The encoded form (<c>MN/GOV/LAND/land-services</c>), percent-encoding what needs it.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(64);
        AppendTo(builder);
        return builder.ToString();
    }

    internal void AppendTo(StringBuilder builder)
    {
        IdentifierText.AppendEncoded(builder, Instance);
        builder.Append('/');
        IdentifierText.AppendEncoded(builder, MemberClass);
        builder.Append('/');
        IdentifierText.AppendEncoded(builder, MemberCode);
        if (Subsystem is not null)
        {
            builder.Append('/');
            IdentifierText.AppendEncoded(builder, Subsystem);
        }
    }
}
