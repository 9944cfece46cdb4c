using Depoxy.Aws.CloudFront;

namespace Depoxy.Sites;

public sealed record SiteSyncOptions
{
    /// <summary>Delete even when the deletions exceed <see cref="MaxDeleteShare"/> of the objects under the target.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// The recorded release whose files this sync puts back (a failed release's restore, a rollback): the
    /// <see cref="MaxDeleteShare"/> guard, which is there for accidents, does not apply to it.
    /// </summary>
    public string? RestoringRelease { get; init; }

    /// <summary>Share of the target's objects a sync may delete without <see cref="Force"/> (content-hashed assets, which every build replaces, are not counted).</summary>
    public double MaxDeleteShare { get; init; } = 0.5;

    /// <summary>max-age of files that are neither documents nor content-hashed; changing it re-puts them.</summary>
    public TimeSpan ShortMaxAge { get; init; } = ObjectHeaders.DefaultShortMaxAge;

    /// <summary>Uploads in flight at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>More invalidation paths than this become a single <c>/*</c>.</summary>
    public int CollapseInvalidationAbove { get; init; } = 15;

    /// <summary>How long to wait for an invalidation to complete; botocore's waiter by default (20 s × 30).</summary>
    public InvalidationWaiter InvalidationWaiter { get; init; } = InvalidationWaiter.Default;
}
