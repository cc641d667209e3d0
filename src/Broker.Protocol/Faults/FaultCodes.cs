namespace Broker.Protocol.Faults;

/// <summary>
/// Every fault code Broker emits. Codes follow X-Road's families and spelling (PR-REST, ErrorCodes) and are
/// stable once published: add new ones, never rename. The table with meanings is docs/fault-codes.md.
/// </summary>
public static class FaultCodes
{
    // The caller broke the protocol (HTTP 4xx).
    public const string BadRequest = "Client.BadRequest";
    public const string InvalidProtocolVersion = "Client.InvalidProtocolVersion";
    public const string MissingHeader = "Client.MissingHeader";
    public const string InvalidClientIdentifier = "Client.InvalidClientIdentifier";
    public const string UnknownClient = "Client.UnknownMember";
    public const string MessageTooLarge = "Client.MessageTooLarge";

    // The consumer's security server (client proxy).
    public const string ClientProxyOutdatedGlobalConf = "Server.ClientProxy.OutdatedGlobalConf";
    public const string ClientProxyUnknownService = "Server.ClientProxy.UnknownService";
    public const string ClientProxyNetworkError = "Server.ClientProxy.NetworkError";
    public const string ClientProxyTimeout = "Server.ClientProxy.Timeout";
    public const string ClientProxyInvalidResponse = "Server.ClientProxy.InvalidResponse";
    public const string ClientProxyUnknownDeferred = "Server.ClientProxy.UnknownDeferredRequest";
    public const string ClientProxyInconsistentResponse = "Server.ClientProxy.InconsistentResponse";
    public const string ClientProxySignatureVerification = "Server.ClientProxy.SignatureVerification";
    public const string ClientProxyCertValidation = "Server.ClientProxy.CertValidation";
    public const string ClientProxyInternalError = "Server.ClientProxy.InternalError";
    public const string ClientProxyMessageLogFailed = "Server.ClientProxy.MessageLogFailed";
    public const string ClientProxyTimestampingFailed = "Server.ClientProxy.TimestampingFailed";
    public const string ClientProxyEvidenceNotFound = "Server.ClientProxy.EvidenceNotFound";

    // The central router.
    public const string RouterSslAuthenticationFailed = "Server.Router.SslAuthenticationFailed";
    public const string RouterInvalidMessage = "Server.Router.InvalidMessage";
    public const string RouterUnknownService = "Server.Router.UnknownService";
    public const string RouterOutdatedGlobalConf = "Server.Router.OutdatedGlobalConf";
    public const string RouterNetworkError = "Server.Router.NetworkError";
    public const string RouterTimeout = "Server.Router.Timeout";
    public const string RouterCircuitOpen = "Server.Router.CircuitOpen";
    public const string RouterOverloaded = "Server.Router.Overloaded";
    public const string RouterMessageTooLarge = "Server.Router.MessageTooLarge";
    public const string RouterDuplicateMessageId = "Server.Router.DuplicateMessageId";
    public const string RouterRateLimited = "Server.Router.RateLimited";
    public const string RouterStateUnavailable = "Server.Router.StateUnavailable";
    public const string RouterTransportUnavailable = "Server.Router.TransportUnavailable";

    // The provider's security server (server proxy).
    public const string ServerProxySslAuthenticationFailed = "Server.ServerProxy.SslAuthenticationFailed";
    public const string ServerProxyInvalidMessage = "Server.ServerProxy.InvalidMessage";
    public const string ServerProxyOutdatedGlobalConf = "Server.ServerProxy.OutdatedGlobalConf";
    public const string ServerProxySignatureVerification = "Server.ServerProxy.SignatureVerification";
    public const string ServerProxyCertValidation = "Server.ServerProxy.CertValidation";
    public const string ServerProxyUnknownMember = "Server.ServerProxy.UnknownMember";
    public const string ServerProxyUnknownService = "Server.ServerProxy.UnknownService";
    public const string ServerProxyAccessDenied = "Server.ServerProxy.AccessDenied";
    public const string ServerProxyServiceFailed = "Server.ServerProxy.ServiceFailed";
    public const string ServerProxyTimeout = "Server.ServerProxy.Timeout";
    public const string ServerProxyMessageTooLarge = "Server.ServerProxy.MessageTooLarge";
    public const string ServerProxyInternalError = "Server.ServerProxy.InternalError";
    public const string ServerProxyMessageLogFailed = "Server.ServerProxy.MessageLogFailed";
    public const string ServerProxyTimestampingFailed = "Server.ServerProxy.TimestampingFailed";

    /// <summary>The HTTP status a fault code travels with: 4xx for the caller's mistakes, 5xx for the bus's.</summary>
    public static int HttpStatusOf(string code) => code switch
    {
        UnknownClient or ServerProxyUnknownMember => 403,
        MessageTooLarge or RouterMessageTooLarge or ServerProxyMessageTooLarge => 413,
        RouterSslAuthenticationFailed or ServerProxySslAuthenticationFailed or ServerProxyAccessDenied => 403,
        ClientProxyUnknownService or RouterUnknownService or ServerProxyUnknownService or ClientProxyUnknownDeferred => 404,
        ClientProxyNetworkError or RouterNetworkError => 502,
        RouterOverloaded or RouterTransportUnavailable => 503,
        ClientProxyTimeout or RouterTimeout or ServerProxyTimeout => 504,
        RouterDuplicateMessageId => 409,
        RouterRateLimited => 429,
        RouterStateUnavailable => 503,
        RouterCircuitOpen => 503,
        ClientProxyTimestampingFailed or ServerProxyTimestampingFailed => 503,
        ClientProxyEvidenceNotFound => 404,
        _ when code.StartsWith("Client.", StringComparison.Ordinal) => 400,
        _ => 500,
    };

    public static Fault Create(string code, string message) => new(code, message, HttpStatusOf(code));
}
