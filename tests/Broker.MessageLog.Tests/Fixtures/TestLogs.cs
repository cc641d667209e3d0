using System.Text;
using Broker.MessageLog.Archives;
using Broker.MessageLog.Proofs;
using Broker.MessageLog.Records;
using Broker.MessageLog.Segments;
using Broker.MessageLog.Trust;
using Broker.MessageLog.Writing;
using Broker.Protocol.Envelopes;
using Broker.Protocol.Rest;

namespace Broker.MessageLog.Tests.Fixtures;

/// <summary>
/// Builds real logs: requests signed by member A and responses signed by member B (as their security servers sign
/// them), appended with <see cref="MessageLogWriter"/>, time-stamped in batches by a real RFC 3161 TSA, with the
/// trust folder the security server writes; and archives their closed segments.
/// </summary>
internal static class TestLogs
{
    public static async Task<BuiltLog> BuildAsync(string directory, LogSpec? spec = null)
    {
        spec ??= new LogSpec();
        var messages = new List<LoggedMessage>();
        var stamps = new List<long>();
        var unstamped = new List<(long Seq, byte[] Hash)>();
        long last = 0;
        await using (var writer = MessageLogWriter.Open(new MessageLogWriterOptions { Directory = directory, MaxSegmentBytes = spec.MaxSegmentBytes, BodyKeyFile = spec.BodyKeyFile }))
        {
            async Task StampAsync()
            {
                var root = BatchProofs.ComputeRoot([.. unstamped.Select(u => u.Hash)]);
                var position = await writer.AppendAsync(new TimestampEntry(unstamped[0].Seq, unstamped[^1].Seq, unstamped.Count, root, TestPki.Stamp(root, spec.Tsa)));
                stamps.Add(position.Seq);
                last = position.Seq;
                unstamped.Clear();
            }

            for (var i = 0; i < spec.Exchanges; i++)
            {
                var id = $"msg-{i:D4}";
                foreach (var kind in new[] { EnvelopeKind.Request, EnvelopeKind.Response })
                {
                    var (head, body) = Message(kind, id, i);
                    var draft = new MessageDraft(i, kind, id, TestPki.Client.ToString(), TestPki.Service.ToString(), head, body, kind == EnvelopeKind.Request ? TestPki.KeyA : TestPki.KeyB);
                    draft = spec.Alter?.Invoke(draft) ?? draft;
                    var signature = TestPki.Sign(draft.Signer, draft.Kind, draft.Head, draft.Body);
                    var position = await writer.AppendAsync(new MessageEntry(draft.Kind, draft.MessageId, draft.Client, draft.Service, draft.Head, draft.Body, signature, spec.Mode));
                    messages.Add(new LoggedMessage(position.Seq, draft.MessageId, draft.Kind, position.Hash));
                    unstamped.Add((position.Seq, position.Hash));
                    last = position.Seq;
                    if (unstamped.Count >= spec.StampEvery)
                    {
                        await StampAsync();
                    }
                }
            }

            if (spec.StampTail && unstamped.Count > 0)
            {
                await StampAsync();
            }
        }

        (spec.Trust ?? TestPki.Trust).WriteDirectory(Path.Combine(directory, TrustAnchors.FolderName));
        return new BuiltLog(directory, messages, stamps, last);
    }

    /// <summary>A head and body as a security server signs them (the response carries the headers the provider's server sets).</summary>
    public static (byte[] Head, byte[] Body) Message(EnvelopeKind kind, string id, int i, string? client = null, string? service = null)
    {
        client ??= TestPki.Client.ToString();
        service ??= TestPki.Service.ToString();
        var headers = new HeaderList();
        headers.Add(XRoadHeaders.Client, client);
        headers.Add(XRoadHeaders.Id, id);
        if (kind == EnvelopeKind.Request)
        {
            return (new RestRequestHead("POST", "/r1/" + service, headers).Serialize(), Encoding.UTF8.GetBytes($"{{\"query\":{i},\"pad\":\"{new string('q', 100)}\"}}"));
        }

        headers.Add(XRoadHeaders.Service, service);
        headers.Add("Content-Type", "application/json");
        return (new RestResponseHead(200, headers).Serialize(), Encoding.UTF8.GetBytes($"{{\"address\":\"Street {i}\",\"pad\":\"{new string('r', 200)}\"}}"));
    }

    /// <summary>Archives every closed segment (all but the newest) in order, as the security server's archiver does.</summary>
    public static List<ArchiveResult> ArchiveAll(string logDirectory, string archiveDirectory)
    {
        var results = new List<ArchiveResult>();
        var segments = LogSegment.List(logDirectory);
        foreach (var segment in segments.Take(segments.Count - 1))
        {
            var result = ArchiveWriter.Write(new ArchiveInput
            {
                SegmentPath = segment,
                ArchiveDirectory = archiveDirectory,
                ServerId = "MN/GOV/A/ss1",
                Trust = TestPki.Trust,
            });
            Assert.True(result.IsArchived, result.Message);
            results.Add(result);
        }

        return results;
    }

    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
