using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Broker.Protocol.Identifiers;

/// <summary>A security server: <c>INSTANCE/CLASS/MEMBER/SERVERCODE</c>, owned by the member it names.</summary>
public sealed record SecurityServerId
{
    public SecurityServerId(ClientId owner, string serverCode)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrEmpty(serverCode);
        Owner = owner.Member;
        ServerCode = serverCode;
    }

    public ClientId Owner { get; }

    public string ServerCode { get; }

    public static bool TryParse(ReadOnlySpan<char> encoded, [NotNullWhen(true)] out SecurityServerId? id)
    {
        var parts = IdentifierText.SplitAndDecode(encoded, 4, 4);
        id = parts is null ? null : new SecurityServerId(new ClientId(parts[0], parts[1], parts[2]), parts[3]);
        return id is not null;
    }

    public static SecurityServerId Parse(string encoded) =>
        TryParse(encoded, out var id) ? id : throw new FormatException($"'{encoded}' is not a valid security server identifier.");

    public override string ToString()
    {
        var builder = new StringBuilder(64);
        Owner.AppendTo(builder);
        builder.Append('/');
        IdentifierText.AppendEncoded(builder, ServerCode);
        return builder.ToString();
    }
}
