using Amazon.Runtime;
using Amazon.S3.Model;

namespace Depoxy.Aws.Recording;

/// <summary>
/// The IAM view of the AWSSDK.S3 requests the build makes: the API operation, the object or bucket ARN, and the
/// condition keys the request sets.
/// </summary>
public static class S3CallDescription
{
    public static IEnumerable<AwsCall> Of(AmazonWebServiceRequest request)
    {
        switch (request)
        {
            case PutObjectRequest put:
                yield return Call("PutObject", put.BucketName, put.Key, string.IsNullOrEmpty(put.IfNoneMatch) ? [] : [("s3:if-none-match", put.IfNoneMatch)]);
                break;
            case GetObjectRequest get:
                yield return Call("GetObject", get.BucketName, get.Key);
                break;
            case GetObjectMetadataRequest head:
                yield return Call("HeadObject", head.BucketName, head.Key);
                break;
            case DeleteObjectRequest delete:
                yield return Call("DeleteObject", delete.BucketName, delete.Key);
                break;
            // One authorisation per key: DeleteObjects is allowed or refused key by key.
            case DeleteObjectsRequest deletes:
                foreach (var key in deletes.Objects ?? []) yield return Call("DeleteObjects", deletes.BucketName, key.Key);
                break;
            case CopyObjectRequest copy:
                yield return Call("CopyObject", copy.DestinationBucket, copy.DestinationKey,
                    [("x-amz-copy-source", $"arn:aws:s3:::{copy.SourceBucket}/{copy.SourceKey}")]);
                break;
            case ListObjectsV2Request list:
                yield return Call("ListObjectsV2", list.BucketName, null, [("s3:prefix", list.Prefix ?? "")]);
                break;
            // AmazonS3Util.DoesS3BucketExistV2Async asks for the bucket's ACL.
            case GetBucketAclRequest acl:
                yield return Call("GetBucketAcl", acl.BucketName, null);
                break;
            // A request this table does not know is recorded as unknown, so the permission check names it instead of missing it.
            default:
                yield return Call($"Unknown({request.GetType().Name})", null, null);
                break;
        }
    }

    private static AwsCall Call(string operation, string? bucket, string? key, params (string Key, string Value)[] context) =>
        new("s3", operation, bucket is null ? "*" : key is null ? $"arn:aws:s3:::{bucket}" : $"arn:aws:s3:::{bucket}/{key}",
            context.ToDictionary(c => c.Key, c => c.Value));
}
