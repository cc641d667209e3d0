using System.Collections.Frozen;
using Broker.GlobalConfiguration.Model;
using Broker.Protocol.Identifiers;

namespace Broker.SecurityServer.AccessControl;

/// <summary>The services this server provides and their access rights, indexed once at start.</summary>
public sealed class AccessRights
{
    private const string GroupPrefix = "group:";
    private readonly FrozenDictionary<(ClientId, string), Entry> _services;

    public AccessRights(IEnumerable<ServiceOptions> services)
    {
        _services = services.ToFrozenDictionary(
            s => (ClientId.Parse(s.Subsystem), s.Code),
            s => new Entry(
                s,
                new Uri(s.Url, UriKind.Absolute),
                s.Allow.Where(a => !a.StartsWith(GroupPrefix, StringComparison.Ordinal)).Select(ClientId.Parse).ToFrozenSet(),
                s.Allow.Where(a => a.StartsWith(GroupPrefix, StringComparison.Ordinal)).Select(a => a[GroupPrefix.Length..]).ToArray()));
    }

    public Entry? Find(ServiceId service) => _services.GetValueOrDefault((service.Provider, service.ServiceCode));

    public sealed record Entry(ServiceOptions Options, Uri BaseUrl, FrozenSet<ClientId> Clients, string[] Groups)
    {
        /// <summary>True when the client, its member, or a global group holding either is allowed.</summary>
        public bool Allows(ClientId client, GlobalConfigurationSnapshot configuration)
        {
            if (Clients.Contains(client) || Clients.Contains(client.Member))
            {
                return true;
            }

            foreach (var group in Groups)
            {
                if (configuration.IsInGroup(group, client))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
