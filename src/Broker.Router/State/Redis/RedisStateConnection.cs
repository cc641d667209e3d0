using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Broker.Router.State.Redis;

/// <summary>
/// The router's one connection to Redis (a multiplexer shared by every state component), with the short timeouts
/// that keep an unreachable or stalled Redis from holding exchanges: connecting, and each operation as a whole, give
/// up after <see cref="RouterStateOptions.RedisTimeoutMilliseconds"/>. The multiplexer reconnects on its own
/// (<c>abortConnect=false</c>), so state recovers when Redis comes back without a restart.
/// </summary>
internal sealed class RedisStateConnection : IDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly Lock _lock = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private bool _disposed;

    public RedisStateConnection(IOptions<RouterStateOptions> options)
    {
        var o = options.Value;
        _configuration = ConfigurationOptions.Parse(o.Redis ?? throw new InvalidOperationException("State.Redis is not set."));
        _configuration.AbortOnConnectFail = false;
        _configuration.ConnectTimeout = o.RedisTimeoutMilliseconds;
        _configuration.SyncTimeout = o.RedisTimeoutMilliseconds;
        _configuration.ConnectRetry = 1;
        _configuration.ClientName ??= "broker-router";
        Timeout = TimeSpan.FromMilliseconds(o.RedisTimeoutMilliseconds);
        Prefix = o.RedisKeyPrefix;
    }

    /// <summary>The bound on one state operation, connecting included.</summary>
    public TimeSpan Timeout { get; }

    public string Prefix { get; }

    /// <summary>Runs <paramref name="operation"/> against the database; a <see cref="TimeoutException"/> when it takes longer than <see cref="Timeout"/>.</summary>
    public async Task<T> RunAsync<TState, T>(TState state, Func<IDatabase, TState, Task<T>> operation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var multiplexer = await Connect().WaitAsync(Timeout, cancellationToken).ConfigureAwait(false);
        var remaining = Timeout - Stopwatch.GetElapsedTime(started);
        if (remaining <= TimeSpan.Zero)
        {
            throw new TimeoutException($"Redis did not connect within {Timeout.TotalMilliseconds} ms.");
        }

        return await operation(multiplexer.GetDatabase(), state).WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True for the failures that mean "Redis cannot answer now" (down, stalled, refusing writes), as opposed to a
    /// cancelled request or a bug.
    /// </summary>
    public static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        RedisException or TimeoutException or ObjectDisposedException => true,
        AggregateException { InnerException: { } inner } => IsUnavailable(inner, cancellationToken),
        _ => false,
    };

    private Task<ConnectionMultiplexer> Connect()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectionMultiplexer.ConnectAsync(_configuration);
            }

            return _connecting;
        }
    }

    public void Dispose()
    {
        Task<ConnectionMultiplexer>? connecting;
        lock (_lock)
        {
            _disposed = true;
            connecting = _connecting;
        }

        if (connecting is { IsCompletedSuccessfully: true })
        {
            Close(connecting.Result);
        }
        else
        {
            // still connecting: close it when it is done
            connecting?.ContinueWith(static t => Close(t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Everything the router waits for has completed or timed out by now; 1.2.6's plain Dispose would wait up to the
    /// connect timeout for in-flight commands.
    /// </summary>
    private static void Close(ConnectionMultiplexer multiplexer)
    {
        multiplexer.Close(allowCommandsToComplete: false);
        multiplexer.Dispose();
    }
}
