using Broker.GlobalConfiguration.Model;
using Microsoft.Extensions.Primitives;

namespace Broker.GlobalConfiguration.Client;

/// <summary>The node's current verified global configuration, swapped atomically, with a change token.</summary>
public interface IGlobalConfigurationProvider
{
    /// <summary>The last verified configuration, or null before the first one arrives. It may have expired.</summary>
    GlobalConfigurationSnapshot? Current { get; }

    IChangeToken GetChangeToken();
}
