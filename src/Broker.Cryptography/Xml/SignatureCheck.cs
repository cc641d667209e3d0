using System.Security.Cryptography.X509Certificates;
using Broker.Protocol.Identifiers;

namespace Broker.Cryptography.Xml;

/// <summary>Why a signature document was refused.</summary>
public enum SignatureFailure
{
    None,

    /// <summary>Not a document of the profile, or its parts do not match.</summary>
    Malformed,

    /// <summary>The signature value or a digest does not verify.</summary>
    Signature,

    /// <summary>The signer's certificate is invalid, or not issued to the member expected.</summary>
    Certificate,
}

/// <summary>The outcome of verifying a signature document.</summary>
public sealed record SignatureCheck(SignatureFailure Failure, string? Error, SignatureDocument? Document, X509Certificate2? Signer, ClientId? SignerMember)
{
    public bool IsValid => Failure == SignatureFailure.None;

    public static SignatureCheck Fail(SignatureFailure failure, string error) => new(failure, error, null, null, null);
}
