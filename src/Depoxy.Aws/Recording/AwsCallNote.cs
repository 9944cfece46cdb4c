namespace Depoxy.Aws.Recording;

/// <summary>
/// What a hand-written client says about a request it sends, for <see cref="AwsCallRecordingHandler"/>: the operation,
/// and the resource as the part of its ARN after the account (function:name, distribution/ID).
/// </summary>
public sealed record AwsCallNote(string Operation, string Resource, bool Global = false)
{
    private static readonly HttpRequestOptionsKey<AwsCallNote> Key = new("depoxy.aws-call");

    public HttpRequestMessage On(HttpRequestMessage request)
    {
        request.Options.Set(Key, this);
        return request;
    }

    public static AwsCallNote? Of(HttpRequestMessage request) => request.Options.TryGetValue(Key, out var note) ? note : null;
}
