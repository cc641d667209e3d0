using System.Security.Authentication;
using Broker.Router.Transport;
using Polly;
using Polly.Timeout;

namespace Broker.Router.Delivery;

/// <summary>
/// Which delivery failures may be retried and which count against a provider's circuit breaker
/// (docs/architecture.md, "Resilience of delivery").
/// </summary>
internal static class DeliveryFailures
{
    /// <summary>
    /// True when the attempt failed before a byte of the request left the router: the TCP connection was refused or
    /// timed out (<see cref="SocketsHttpHandler.ConnectTimeout"/>), or the TLS handshake broke off. The request is
    /// written only on an established TLS connection, so such an attempt is safe to repeat. A handshake that ended
    /// with a refused certificate or protocol (<see cref="AuthenticationException"/>) is safe too but would only fail
    /// the same way again, so it is not retried.
    /// </summary>
    public static bool NothingSent(Exception exception, CancellationToken attemptToken) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => true,
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } e => !HasInner<AuthenticationException>(e),
        OperationCanceledException { InnerException: TimeoutException } => !attemptToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>
    /// True when an exchange's outcome tells that the provider's security server itself is unwell: no answer
    /// (transport failure, broken connection, deadline passed) or an HTTP 5xx that is not a bus fault. A bus fault
    /// (<c>X-Road-Error</c>, e.g. <c>Server.ServerProxy.ServiceFailed</c>) is a security server's deliberate answer
    /// and does not count; neither does an exchange whose caller went away.
    /// </summary>
    public static bool CountsAgainstProvider(Outcome<DeliveryResult> outcome, ResilienceContext context) => outcome switch
    {
        { Exception: HttpRequestException or IOException or TimeoutRejectedException } => true,
        { Exception: OperationCanceledException { InnerException: TimeoutException } } => !context.CancellationToken.IsCancellationRequested,
        { Exception: null, Result: { } result } => result.StatusCode >= 500 && result.ErrorCode is null,
        _ => false,
    };

    /// <summary>A short description for logs: the exception type and its HTTP request error, or the status; never a body.</summary>
    public static string Describe(Outcome<DeliveryResult> outcome) => outcome.Exception switch
    {
        HttpRequestException e => $"{nameof(HttpRequestException)} ({e.HttpRequestError})",
        { } e => e.GetType().Name,
        null => $"HTTP {outcome.Result?.StatusCode}",
    };

    private static bool HasInner<T>(Exception exception)
        where T : Exception
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is T)
            {
                return true;
            }
        }

        return false;
    }
}
