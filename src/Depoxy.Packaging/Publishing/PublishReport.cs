namespace Depoxy.Packaging.Publishing;

public sealed record PublishReport(IReadOnlyList<UploadResult> Results)
{
    public long BytesUploaded => Results.Sum(r => r.BytesUploaded);

    public int Uploaded => Results.Count(r => r.Outcome == UploadOutcome.Uploaded);

    public int AlreadyPublished => Results.Count(r => r.Outcome == UploadOutcome.AlreadyPublished);

    public string Summary => $"{Uploaded} uploaded, {AlreadyPublished} already published, {BytesUploaded:N0} bytes uploaded";
}
