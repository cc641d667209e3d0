using Broker.Testing;

namespace Broker.Router.Tests;

/// <summary>One redis-server for a test class; tests isolate themselves with a unique key prefix.</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Server = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
