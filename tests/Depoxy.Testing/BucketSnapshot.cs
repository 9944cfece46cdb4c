using Amazon.S3;
using Amazon.S3.Model;

namespace Depoxy.Testing;

/// <summary>Every key of a bucket with its ETag: equal snapshots before and after prove a refused operation changed nothing.</summary>
public static class BucketSnapshot
{
    public static async Task<IReadOnlyDictionary<string, string>> TakeAsync(IAmazonS3 s3, string bucket)
    {
        var objects = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = bucket };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var o in page.S3Objects ?? []) objects[o.Key] = o.ETag;
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
        return objects;
    }
}
