using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Broker.Protocol.Identifiers;

/// <summary>
/// An X-Road service: <c>INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE[/VERSION]</c>. The provider is always a subsystem.
/// </summary>
public sealed record ServiceId
{
    public ServiceId(ClientId provider, string serviceCode, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrEmpty(serviceCode);
        if (!provider.IsSubsystem)
        {
            throw new ArgumentException("A service is provided by a subsystem.", nameof(provider));
        }

        Provider = provider;
        ServiceCode = serviceCode;
        Version = version;
    }

    public ClientId Provider { get; }

    public string ServiceCode { get; }

    public string? Version { get; }

    /// <summary>Parses the encoded form with 5 or 6 percent-encoded parts.</summary>
    public static bool TryParse(ReadOnlySpan<char> encoded, [NotNullWhen(true)] out ServiceId? id)
    {
        var parts = IdentifierText.SplitAndDecode(encoded, 5, 6);
        id = parts is null
            ? null
            : new ServiceId(new ClientId(parts[0], parts[1], parts[2], parts[3]), parts[4], parts.Length == 6 ? parts[5] : null);
        return id is not null;
    }

    public static ServiceId Parse(string encoded) =>
        TryParse(encoded, out var id) ? id : throw new FormatException($"'{encoded}' is not a valid X-Road service identifier.");

    public override string ToString()
    {
        var builder = new StringBuilder(80);
        Provider.AppendTo(builder);
        builder.Append('/');
        IdentifierText.AppendEncoded(builder, ServiceCode);
        if (Version is not null)
        {
            builder.Append('/');
            IdentifierText.AppendEncoded(builder, Version);
        }

        return builder.ToString();
    }
}
