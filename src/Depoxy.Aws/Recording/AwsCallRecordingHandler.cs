namespace Depoxy.Aws.Recording;

/// <summary>
/// Records every request a SigV4 client sends (each attempt: IAM authorises each). A request no client described is
/// still recorded, as an unknown operation, so a forgotten note fails the permission check instead of hiding a call.
/// </summary>
public sealed class AwsCallRecordingHandler(IAwsCallRecorder recorder, string service, string region, HttpMessageHandler inner)
    : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        recorder.Record(AwsCallNote.Of(request) is { } note
            ? new AwsCall(service, note.Operation, $"arn:aws:{service}:{(note.Global ? "" : region)}:{recorder.AccountId}:{note.Resource}", new Dictionary<string, string>())
            : new AwsCall(service, $"Unknown({request.Method} {request.RequestUri?.AbsolutePath})", "*", new Dictionary<string, string>()));
        return base.SendAsync(request, cancellationToken);
    }
}
