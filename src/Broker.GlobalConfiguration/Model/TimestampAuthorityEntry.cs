using System.Security.Cryptography.X509Certificates;

namespace Broker.GlobalConfiguration.Model;

/// <summary>An approved time-stamping authority of a verified global configuration, parsed: where to ask, whom to trust.</summary>
public sealed record TimestampAuthorityEntry(string Name, Uri Url, X509Certificate2 Certificate);
